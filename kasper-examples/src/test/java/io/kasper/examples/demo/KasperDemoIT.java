package io.kasper.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.examples.SampleText;
import io.kasper.examples.WordCount;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs the demo's command line in this JVM, as {@code java -jar kasper-demo.jar ...} would, and reads its output. */
@ExtendWith(KafkaBrokerExtension.class)
class KasperDemoIT {

    /** The output and exit code of one demo run. */
    private record Run(int exitCode, String out, String err) {
    }

    private static Run demo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = KasperDemo.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
                new StopSignal());
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void wordCountPrintsTheMostFrequentWordsWithTheirExactCountsAndExitsZero(KafkaBroker broker) {
        Run run = demo("word-count", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "700",
                "--top", "6");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        List<String> expectedRanking = new ArrayList<>();
        List<Map.Entry<String, Long>> top = WordCount.countWords(SampleText.lines(700)).entrySet().stream()
                .sorted(WordCountCommand.BY_FREQUENCY).limit(6).toList();
        for (int i = 0; i < top.size(); i++) {
            expectedRanking.add(WordCountCommand.rankLine(i + 1, top.get(i).getKey(), top.get(i).getValue()));
        }
        List<String> lines = run.out().lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("Top 6 words")).findFirst().orElseThrow());
        assertThat(lines.subList(header + 1, header + 7)).containsExactlyElementsOf(expectedRanking);
        assertThat(expectedRanking.get(0)).contains(" the ");
        assertThat(run.out()).contains("OK, equal to a direct count of the input and to the store")
                .containsPattern("\\[progress +\\d+\\.\\ds\\] in 700 \\| out \\d+ \\| lag 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "opensearch", "cassandra"})
    void wordCountKeepsExactCountsInARealStoreServerStartedForTheRun(String store, KafkaBroker broker) {
        Run run = demo("word-count", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "300",
                "--store", store);

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(run.out()).contains("Counts kept in ", "OK, equal to a direct count of the input and to the store");
    }

    @Test
    void helloWorldForwardsEveryLineAndPrintsEach(KafkaBroker broker) {
        Run run = demo("hello-world", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "9");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(run.out()).contains("9 messages forwarded to", "OK, the same as the input",
                "Hello from partition 0, offset 0: " + SampleText.lines(1).get(0));
        assertThat(run.out().lines().filter(l -> l.startsWith("Hello from partition"))).hasSize(9);
    }

    @Test
    void multipleTopicsGreetsEveryIdOnce(KafkaBroker broker) {
        Run run = demo("multiple-topics", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "200",
                "--partitions", "2");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(run.out()).contains("200 greetings in", "OK, exactly one correct greeting per id",
                "id 0: Hello, Alice!");
    }

    @Test
    void temperaturesAlertsDeadLettersAndReportsEveryPartitionOnce(KafkaBroker broker) {
        Run run = demo("temperatures", "--bootstrap-servers", broker.bootstrapServers(), "--lines", "24",
                "--partitions", "3");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        // 24 lines are the 12 sample lines twice: line i on partition i % 3, 6 of them poison
        assertThat(run.out()).contains("24 lines: 8 heat alerts in ", ", 6 lines that are not readings in ",
                "OK, exactly the expected alerts and dead letters")
                .containsPattern("  dead letter '(Wellington,windy|Oslo,-300|Reykjavik)' from "
                        + "kasper-demo-\\w+-readings-[0-2]@\\d+ "
                        + "\\(org\\.apache\\.kafka\\.common\\.errors\\.SerializationException\\)");
        assertThat(run.out().lines().filter(l -> l.startsWith("partition"))).containsExactly(
                "partitions assigned: [0, 1, 2]",
                "partition 0: 4 readings, hottest Cairo 35.0 °C",
                "partition 1: 8 readings, hottest Delhi 38.5 °C",
                "partition 2: 6 readings, hottest Paris 22.0 °C");
    }

    @Test
    void withoutBootstrapServersStartsAndRemovesAnEmbeddedBroker() {
        Run run = demo("word-count", "--lines", "50", "--top", "1");

        assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.err()).isZero();
        assertThat(run.out()).contains("Embedded broker ready on 127.0.0.1:", "OK, equal to a direct count");
        Path brokerDir = Path.of(between(run.out(), "(data and logs in ", ", removed at exit)"));
        assertThat(brokerDir).as("the embedded broker's directory is removed").doesNotExist();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(brokerDir.toString())))
                .as("the embedded broker process is stopped").isEmpty();
    }

    private static String between(String text, String before, String after) {
        int start = text.indexOf(before);
        assertThat(start).as("'%s' in%n%s", before, text).isNotNegative();
        return text.substring(start + before.length(), text.indexOf(after, start));
    }

    @Test
    void withoutSubcommandPrintsUsageAndExitsTwo() {
        Run run = demo();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("hello-world", "multiple-topics", "word-count", "temperatures");
    }

    @Test
    void unknownLogFormatIsAUsageError() {
        Run run = demo("word-count", "--log-format", "xml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--log-format");
    }
}
