package io.kasper.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Counts, for one fault scenario, every input against the output: inputs lost (never in the output), and duplicates
 * (outputs beyond the first per input) per partition number, then prints one line and checks the promise: nothing
 * lost, and at most {@code batchSize} duplicates per partition for each fault that hit it (at-least-once), or none
 * (exactly-once: zero faults allowed to duplicate).
 *
 * <p>Inputs and outputs are matched by value: the scenarios give every input a unique value and copy it to the output.
 */
final class FaultLedger {

    private final String scenario;
    private final Map<String, Integer> inputPartition = new HashMap<>();
    private final Map<String, Integer> outputCount = new HashMap<>();

    private FaultLedger(String scenario) {
        this.scenario = scenario;
    }

    /** Starts the ledger of a scenario with its inputs. */
    static FaultLedger of(String scenario, List<ConsumerRecord<byte[], byte[]>> inputs) {
        FaultLedger ledger = new FaultLedger(scenario);
        for (ConsumerRecord<byte[], byte[]> in : inputs) {
            Integer previous = ledger.inputPartition.put(value(in), in.partition());
            assertThat(previous).as("input values must be unique, '%s' is not", value(in)).isNull();
        }
        return ledger;
    }

    /** Counts the outputs; values that match no input fail the check (the output must come from the input). */
    FaultLedger outputs(List<ConsumerRecord<byte[], byte[]>> outputs) {
        for (ConsumerRecord<byte[], byte[]> out : outputs) {
            outputCount.merge(value(out), 1, Integer::sum);
        }
        return this;
    }

    /** Returns the inputs that never reached the output. */
    Set<String> lost() {
        Set<String> lost = new TreeSet<>(inputPartition.keySet());
        lost.removeAll(outputCount.keySet());
        return lost;
    }

    /** Returns the duplicates per input partition number. */
    Map<Integer, Integer> duplicatesPerPartition() {
        Map<Integer, Integer> dups = new TreeMap<>();
        inputPartition.forEach((value, partition) -> {
            int extra = outputCount.getOrDefault(value, 0) - 1;
            if (extra > 0) {
                dups.merge(partition, extra, Integer::sum);
            }
        });
        return dups;
    }

    /**
     * Prints the scenario's figures and asserts: no input lost, no output without an input, and per partition at
     * most {@code batchSize * faultsPerPartition} duplicates.
     *
     * @param batchSize the scenario's batch size
     * @param faultsPerPartition how many faults could hit one partition (1 for a single fault)
     * @param detail what else the scenario observed, printed on the line
     */
    void printAndCheck(int batchSize, int faultsPerPartition, String detail) {
        Set<String> strays = new TreeSet<>(outputCount.keySet());
        strays.removeAll(inputPartition.keySet());
        Map<Integer, Integer> dups = duplicatesPerPartition();
        int total = dups.values().stream().mapToInt(Integer::intValue).sum();
        int max = dups.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        long outputs = outputCount.values().stream().mapToLong(Integer::longValue).sum();
        System.out.printf("FAULT %-34s inputs %7d  outputs %7d  lost %d  duplicates %5d (max %d per partition, "
                        + "bound %d = %d batch(es) of %d; by partition %s)  %s%n", scenario,
                inputPartition.size(), outputs, lost().size(), total, max, batchSize * faultsPerPartition,
                faultsPerPartition, batchSize, dups, detail);
        assertThat(lost()).as("%s: inputs lost", scenario).isEmpty();
        assertThat(strays).as("%s: outputs that match no input", scenario).isEmpty();
        assertThat(max).as("%s: duplicates of one partition (by partition: %s)", scenario, dups)
                .isLessThanOrEqualTo(batchSize * faultsPerPartition);
    }

    private static String value(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
