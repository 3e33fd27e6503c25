package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The byte limits of {@link TopicProcessorConfig}: defaults derived from the heap, validation at build(). */
class MemoryConfigTest {

    private static TopicProcessorConfig.Builder valid() {
        return TopicProcessorConfig.builder().topicProcessorName("bytes").bootstrapServers("localhost:9092")
                .inputTopics("in").inputPartitions(0);
    }

    @Test
    void budgetDefaultsToAQuarterOfTheMaxHeapAndTheBatchLimitToAnEighthOfTheBudget() {
        TopicProcessorConfig config = valid().build();

        long quarter = (long) (Runtime.getRuntime().maxMemory() * 0.25);
        System.out.printf("max heap %,d bytes: maxBufferedBytes %,d, batchMaxBytes %,d%n",
                Runtime.getRuntime().maxMemory(), config.maxBufferedBytes(), config.batchMaxBytes());
        assertThat(config.maxBufferedBytes()).isEqualTo(quarter)
                .isEqualTo(TopicProcessorConfig.defaultMaxBufferedBytes());
        assertThat(config.batchMaxBytes()).isEqualTo(quarter / 8)
                .isEqualTo(TopicProcessorConfig.defaultBatchMaxBytes(quarter));
    }

    @Test
    void batchLimitDefaultsToAnEighthOfAGivenBudget() {
        TopicProcessorConfig config = valid().maxBufferedBytes(64L << 20).build();

        assertThat(config.maxBufferedBytes()).isEqualTo(64L << 20);
        assertThat(config.batchMaxBytes()).isEqualTo(8L << 20);
        assertThat(config.toString()).contains("batchMaxBytes=8388608, maxBufferedBytes=67108864");
    }

    @Test
    void toBuilderKeepsDefaultLimitsDerivedFromTheBudget() {
        TopicProcessorConfig derived = valid().build().toBuilder().maxBufferedBytes(64L << 20).build();

        assertThat(derived.maxBufferedBytes()).isEqualTo(64L << 20);
        assertThat(derived.batchMaxBytes()).as("an eighth of the new budget, not the old default").isEqualTo(8L << 20);
    }

    @Test
    void keepsGivenLimits() {
        TopicProcessorConfig config = valid().maxBufferedBytes(1000).batchMaxBytes(1000).build();

        assertThat(config.maxBufferedBytes()).isEqualTo(1000);
        assertThat(config.batchMaxBytes()).isEqualTo(1000);
    }

    @Test
    void rejectsLimitsBelowOneNamingBoth() {
        assertThatThrownBy(() -> valid().maxBufferedBytes(0).batchMaxBytes(-5).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: maxBufferedBytes must be at least 1, was 0; "
                        + "batchMaxBytes must be at least 1, was -5");
    }

    @Test
    void rejectsABatchLimitAboveTheBudgetWithTheFix() {
        assertThatThrownBy(() -> valid().maxBufferedBytes(1000).batchMaxBytes(1001).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid TopicProcessorConfig: batchMaxBytes must not exceed maxBufferedBytes, or "
                        + "batches could not fill up before the budget pauses the input, but batchMaxBytes was 1001 "
                        + "and maxBufferedBytes 1000 (lower batchMaxBytes or raise maxBufferedBytes)");
    }

    @Test
    void rejectsABatchLimitAboveTheDefaultBudgetNamingTheHeap() {
        long tooBig = TopicProcessorConfig.defaultMaxBufferedBytes() + 1;

        assertThatThrownBy(() -> valid().batchMaxBytes(tooBig).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("batchMaxBytes was " + tooBig + " and maxBufferedBytes " + (tooBig - 1)
                        + " (the default, 0.25 of the maximum heap " + Runtime.getRuntime().maxMemory() + ")");
    }
}
