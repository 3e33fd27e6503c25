package io.kasper.it;

import io.kasper.ProcessingGuarantee;
import io.kasper.test.KafkaBroker;
import java.io.IOException;
import java.nio.file.Path;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;

/**
 * A static-mode {@link FaultCopier} topic processor as a program of its own, for the scenario that SIGKILLs the
 * processor's JVM. SIGTERM closes it through a shutdown hook; a failure exits with status 1.
 *
 * <pre>
 * java -cp &lt;test classpath&gt; io.kasper.it.FaultProcessorMain &lt;bootstrap&gt; &lt;name&gt; &lt;in&gt; &lt;out&gt;
 *     &lt;partitions&gt; &lt;delayMillis&gt; [AT_LEAST_ONCE|EXACTLY_ONCE]
 * </pre>
 */
public final class FaultProcessorMain {

    private FaultProcessorMain() {
    }

    /**
     * Runs until SIGTERM or a failure.
     *
     * @param args bootstrap servers, processor name, input topic, output topic, partition count, delay per batch,
     *     optionally the processing guarantee (default at-least-once), configured by {@link FaultInjectionIT#config}
     */
    public static void main(String[] args) {
        if (args.length != 6 && args.length != 7) {
            System.err.println("usage: FaultProcessorMain <bootstrap> <name> <in> <out> <partitions> <delayMillis> "
                    + "[AT_LEAST_ONCE|EXACTLY_ONCE]");
            System.exit(2);
        }
        ProcessingGuarantee guarantee = args.length == 7 ? ProcessingGuarantee.valueOf(args[6])
                : ProcessingGuarantee.AT_LEAST_ONCE;
        TopicProcessorConfig config = FaultInjectionIT.config(args[0], args[1], args[2], Integer.parseInt(args[4]),
                guarantee).build();
        TopicProcessor processor = new TopicProcessor(config, p -> new FaultCopier(args[3], Long.parseLong(args[5])));
        Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "close-" + args[1]));
        try {
            processor.runLoop();
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Starts this program in a JVM of its own on the scenario's topics, its output and errors to {@code log}. */
    static Process fork(KafkaBroker broker, String name, FaultScenario scenario, ProcessingGuarantee guarantee,
            long delayMillis, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FaultProcessorMain.class.getName(), broker.bootstrapServers(), name, scenario.in, scenario.out,
                Integer.toString(scenario.partitions), Long.toString(delayMillis), guarantee.name())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
