package io.kasper.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.MessageProcessor;
import io.kasper.test.KafkaBroker;
import io.kasper.test.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Closing the application context while a batch is being processed: the processor finishes it, awaits the acks and
 * commits every batch it completed, within Boot's shutdown phase timeout.
 */
@ExtendWith(KafkaBrokerExtension.class)
class GracefulShutdownIT {

    private static final String INPUT = "shutdown-it-in";
    private static final String OUTPUT = "shutdown-it-out";
    private static final int LINES = 500;

    static final CountDownLatch IN_PROCESS = new CountDownLatch(1);
    static final CountDownLatch CLOSING = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    static final List<String> PROCESSED = Collections.synchronizedList(new ArrayList<>());

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        @KasperProcessor("copy")
        MessageProcessor copy() {
            return (messages, sender) -> {
                IN_PROCESS.countDown();
                // Holds the first batch until the context is closing, so that close() meets a batch in process().
                RELEASE.await(30, TimeUnit.SECONDS);
                for (ConsumerRecord<byte[], byte[]> m : messages) {
                    PROCESSED.add(new String(m.value(), StandardCharsets.UTF_8));
                    sender.send(new ProducerRecord<>(OUTPUT, 0, null, m.value()));
                }
            };
        }

        @EventListener
        void closing(ContextClosedEvent event) {
            CLOSING.countDown();
        }
    }

    @Test
    void closingTheContextCommitsEveryCompletedBatchWithinTheShutdownPhase(KafkaBroker broker) throws Exception {
        broker.createTopic(INPUT, 1);
        broker.createTopic(OUTPUT, 1);
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            input.add(new ProducerRecord<>(INPUT, 0, null, ("line-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        broker.produce(input);

        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                        "kasper.processors.copy.name=shutdown-it",
                        "kasper.processors.copy.topics=" + INPUT,
                        "kasper.processors.copy.partitions=0",
                        "kasper.processors.copy.batch-size=20",
                        "kasper.processors.copy.close-timeout=10s",
                        "spring.lifecycle.timeout-per-shutdown-phase=20s")
                .run();
        String group = context.getBean(KasperProcessorLifecycle.class).topicProcessor().orElseThrow().config()
                .consumerGroupId();
        assertThat(IN_PROCESS.await(30, TimeUnit.SECONDS)).as("a batch reached process()").isTrue();

        long start = System.nanoTime();
        Thread closer = new Thread(context::close, "shutdown-it-close");
        closer.start();
        assertThat(CLOSING.await(10, TimeUnit.SECONDS)).as("the context started closing").isTrue();
        RELEASE.countDown();
        closer.join(30_000);
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        List<String> output = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(OUTPUT)) {
            output.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        Map<TopicPartition, Long> committed = broker.committedOffsets(group);
        System.out.printf("graceful shutdown: %d of %d lines processed, %d output, committed %s, closed in %d ms%n",
                PROCESSED.size(), LINES, output.size(), committed, closeMillis);
        assertThat(closer.isAlive()).isFalse();
        assertThat(PROCESSED).isNotEmpty();
        assertThat(output).containsExactlyElementsOf(PROCESSED);
        assertThat(committed).containsEntry(new TopicPartition(INPUT, 0), (long) PROCESSED.size());
        assertThat(closeMillis).isLessThan(20_000);
    }
}
