package io.kasper.test;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test driver closes batches at {@code batchMaxBytes} as the {@code TopicProcessor} does. */
class TestDriverBatchBytesTest {

    @Test
    void closesABatchWhenItsBytesReachBatchMaxBytes() {
        TopicProcessorConfig config = TopicProcessorConfig.builder().topicProcessorName("bytes")
                .bootstrapServers("unused:9092").inputTopics("in").inputPartitions(0).batchSize(1000)
                .batchMaxBytes(300).maxBufferedBytes(1 << 20).batchWaitDuration(Duration.ofMinutes(1)).build();
        List<Integer> sizes = new ArrayList<>();

        try (TopicProcessorTestDriver driver = new TopicProcessorTestDriver(config,
                p -> (messages, sender) -> sizes.add(messages.size()))) {
            for (int i = 0; i < 7; i++) {
                driver.pipeInput("in", 0, null, new byte[100]); // 100 bytes each: three fill a batch
            }
            assertThat(sizes).containsExactly(3, 3);
            driver.advanceTime(Duration.ofMinutes(1));
        }

        assertThat(sizes).containsExactly(3, 3, 1);
    }
}
