package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link RunningPipeline} scaled out over members, and of the partition shares of the members. */
class RunningPipelineTest {

    @Test
    void membersRunAtOnceOnThreadsOfTheirOwnUntilTheyAreStopped() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch allRunning = new CountDownLatch(3);
        AtomicInteger finished = new AtomicInteger();
        RunningPipeline pipeline = new RunningPipeline("members", 3, member -> stop -> {
            threads.add(Thread.currentThread().getName());
            allRunning.countDown();
            while (!stop.get()) {
                Thread.onSpinWait();
            }
            finished.incrementAndGet();
        }, null);

        // each member waits for the stop flag: only members running at the same time can all count down
        assertThat(allRunning.await(10, TimeUnit.SECONDS)).isTrue();
        pipeline.close();

        assertThat(threads).containsExactlyInAnyOrder("members-0", "members-1", "members-2");
        assertThat(finished).hasValue(3);
        assertThat(pipeline.failed()).isFalse();
    }

    @Test
    void aFailingMemberFailsThePipelineWhileTheOthersStillRun() {
        IllegalStateException boom = new IllegalStateException("member 1 failed");
        AtomicInteger stopped = new AtomicInteger();
        RunningPipeline pipeline = new RunningPipeline("members", 2, member -> stop -> {
            if (member == 1) {
                throw boom;
            }
            while (!stop.get()) {
                Thread.onSpinWait();
            }
            stopped.incrementAndGet();
        }, null);

        await().atMost(Duration.ofSeconds(10)).until(pipeline::failed);
        assertThat(pipeline.failure()).isSameAs(boom);
        assertThat(stopped).as("member 0 runs until the pipeline is closed").hasValue(0);
        pipeline.close();
        assertThat(stopped).hasValue(1);
    }

    @Test
    void aSingleMemberKeepsThePipelinesNameAsItsThreadName() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (RunningPipeline pipeline = new RunningPipeline("alone", stop -> threads.add(Thread.currentThread()
                .getName()), null)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !threads.isEmpty());
        }
        assertThat(threads).containsExactly("alone");
    }

    @Test
    void membersShareThePartitionsRoundRobinSoThatSharesDifferByAtMostOne() {
        assertThat(HandRolledPipe.share("t", 5, 0, 2)).extracting(TopicPartition::partition).containsExactly(0, 2, 4);
        assertThat(HandRolledPipe.share("t", 5, 1, 2)).extracting(TopicPartition::partition).containsExactly(1, 3);
        assertThat(HandRolledPipe.partitions("t", 3)).containsExactly(new TopicPartition("t", 0),
                new TopicPartition("t", 1), new TopicPartition("t", 2));
    }
}
