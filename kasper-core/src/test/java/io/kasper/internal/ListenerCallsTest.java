package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kasper.KasperException;
import io.kasper.PartitionListener;
import io.kasper.RecordingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The listener calls shared by the loop and the test driver. */
class ListenerCallsTest {

    @Test
    void lostCallsTheListenersDefaultWhichIsRevoked() {
        List<String> calls = new ArrayList<>();
        PartitionListener listener = RecordingListener.into(calls);
        ListenerCalls tell = new ListenerCalls(new ProcessorLogContext("p"), Optional.of(listener));

        tell.assigned(Set.of(1));
        tell.lost(Set.of(2));

        assertThat(calls).containsExactly("assigned [1]", "revoked [2]");
    }

    @Test
    void listenerExceptionBecomesAKasperExceptionNamingProcessorMethodAndPartitions() {
        PartitionListener failing = new PartitionListener() {
            @Override
            public void onPartitionsAssigned(Set<Integer> partitionNumbers) {
            }

            @Override
            public void onPartitionsRevoked(Set<Integer> partitionNumbers) {
                throw new IllegalStateException("flush failed");
            }
        };

        ListenerCalls tell = new ListenerCalls(new ProcessorLogContext("orders"), Optional.of(failing));
        assertThatThrownBy(() -> tell.revoked(Set.of(3)))
                .isInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor 'orders': PartitionListener.onPartitionsRevoked([3]) threw: "
                        + "java.lang.IllegalStateException: flush failed")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAListenerEveryCallDoesNothing() {
        ListenerCalls none = new ListenerCalls(new ProcessorLogContext("p"), Optional.empty());

        assertThatCode(() -> {
            none.assigned(Set.of(0));
            none.revoked(Set.of(0));
            none.lost(Set.of(0));
        }).doesNotThrowAnyException();
    }
}
