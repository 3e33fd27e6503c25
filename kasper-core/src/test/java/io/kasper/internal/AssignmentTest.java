package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.KasperException;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    private final Assignment assignment = new Assignment(List.of("orders", "customers"));

    @Test
    void acceptsTheSamePartitionNumbersOfEveryTopic() {
        assertThatCode(() -> assignment.requireCoPartitioned(List.of(new TopicPartition("orders", 3),
                new TopicPartition("customers", 3), new TopicPartition("orders", 5),
                new TopicPartition("customers", 5)))).doesNotThrowAnyException();
    }

    @Test
    void rejectsAPartitionNumberMissingForOneTopicNamingTheTopicPartitions() {
        assertThatThrownBy(() -> assignment.requireCoPartitioned(List.of(new TopicPartition("orders", 3),
                new TopicPartition("customers", 3), new TopicPartition("orders", 5))))
                .isInstanceOf(KasperException.class)
                .hasMessageContaining("not co-partitioned")
                .hasMessageContaining("{customers=[3], orders=[3, 5]}")
                .hasMessageContaining("assigned [customers-3, orders-3, orders-5]");
    }
}
