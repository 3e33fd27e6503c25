package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.settings;
import static io.kasper.examples.ExampleTopics.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class HelloWorldIT {

    @Test
    void printsEveryMessageOnceAndForwardsItToTheSamePartitionOfTheOutput(KafkaBroker broker) throws Exception {
        String in = unique("hello-in");
        String out = unique("hello-out");
        broker.createTopic(in, 3);
        broker.createTopic(out, 3);
        List<String> lines = SampleText.lines(30);
        LineProducer.produce(broker.bootstrapServers(), in, 3, lines);
        ConcurrentLinkedQueue<String> printed = new ConcurrentLinkedQueue<>();

        try (RunningTopicProcessor running = RunningTopicProcessor.start(
                HelloWorld.create(settings(broker, unique("hello"), 3), in, out, printed::add))) {
            running.awaitConsumedAll(Duration.ofSeconds(60));
        }

        List<String> expectedPrinted = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            // LineProducer puts line i on partition i % 3, as the (i / 3)-th record of that partition
            expectedPrinted.add("Hello from partition " + i % 3 + ", offset " + i / 3 + ": " + lines.get(i));
        }
        assertThat(printed).containsExactlyInAnyOrderElementsOf(expectedPrinted);
        List<ConsumerRecord<byte[], byte[]>> forwarded = broker.readAll(out);
        assertThat(forwarded).hasSize(lines.size());
        for (ConsumerRecord<byte[], byte[]> r : forwarded) {
            int lineNumber = Integer.parseInt(new String(r.key(), UTF_8));
            assertThat(r.partition()).isEqualTo(lineNumber % 3);
            assertThat(new String(r.value(), UTF_8)).isEqualTo(lines.get(lineNumber));
        }
    }
}
