package io.kasper.examples;

import static io.kasper.examples.ExampleTopics.unique;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class LineProducerIT {

    @Test
    void producesEveryLineOnceRoundRobinKeyedByLineNumberInOrder(KafkaBroker broker) {
        String topic = unique("produced");
        broker.createTopic(topic, 2);
        List<String> lines = SampleText.lines(7);

        int acknowledged = LineProducer.produce(broker.bootstrapServers(), topic, 2, lines);

        assertThat(acknowledged).isEqualTo(7);
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic);
        assertThat(records).extracting(r -> r.partition() + ":" + r.offset() + ":" + new String(r.key(), UTF_8))
                .containsExactly("0:0:0", "0:1:2", "0:2:4", "0:3:6", "1:0:1", "1:1:3", "1:2:5");
        assertThat(records).extracting(r -> new String(r.value(), UTF_8))
                .containsExactly(lines.get(0), lines.get(2), lines.get(4), lines.get(6), lines.get(1), lines.get(3),
                        lines.get(5));
    }
}
