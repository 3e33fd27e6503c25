package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.latestByKey;
import static io.kasper.examples.ExampleTopics.settings;
import static io.kasper.examples.ExampleTopics.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.kasper.test.RunningTopicProcessor;

@ExtendWith(KafkaBrokerExtension.class)
class MultipleTopicsIT {

    private static final int IDS = 500;

    @Test
    void greetsEveryIdExactlyOnceWhicheverTopicArrivesFirst(KafkaBroker broker) throws Exception {
        String names = unique("names");
        String greetings = unique("greetings");
        String out = unique("greeted");
        broker.createTopic(names, 4);
        broker.createTopic(greetings, 4);
        broker.createTopic(out, 4);
        List<String> nameValues = MultipleTopics.sampleNames(IDS);
        List<String> greetingValues = MultipleTopics.sampleGreetings(IDS);
        // greetings of all ids before any name: every greeting has to wait for its name
        LineProducer.produce(broker.bootstrapServers(), greetings, 4, greetingValues);
        LineProducer.produce(broker.bootstrapServers(), names, 4, nameValues);

        try (RunningTopicProcessor running = RunningTopicProcessor.start(
                MultipleTopics.create(settings(broker, unique("join"), 4), names, greetings, out))) {
            running.awaitConsumedAll(Duration.ofSeconds(60));
        }

        Map<String, String> expected = new HashMap<>();
        for (int id = 0; id < IDS; id++) {
            expected.put(Integer.toString(id), MultipleTopics.greet(greetingValues.get(id), nameValues.get(id)));
        }
        assertThat(broker.readAll(out)).hasSize(IDS);
        assertThat(latestByKey(broker.readAll(out))).isEqualTo(expected);
        assertThat(expected.get("10")).isEqualTo("Hola, Ishmael!");
    }
}
