package io.kasper.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kasper.KasperException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.OffsetMetadataTooLarge;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.StaleMemberEpochException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.junit.jupiter.api.Test;

class CommitFailuresTest {

    private static final String GROUP = "kasper-topic-processor-orders";

    private static CommitFailures failures(boolean groupManaged) {
        return new CommitFailures(new ProcessorLogContext("orders"), GROUP, groupManaged, Duration.ofSeconds(10),
                () -> "member 'm-1' (client.id 'stray', host /10.0.0.7)");
    }

    @Test
    void coordinatorMovesTimeoutsAndDisconnectsAreRetriable() {
        assertThat(List.of(new NotCoordinatorException("moved"), new CoordinatorNotAvailableException("gone"),
                new CoordinatorLoadInProgressException("loading"), new TimeoutException("slow"),
                new DisconnectException("cut"), new RetriableCommitFailedException(new TimeoutException("slow")),
                new KafkaException("wrapped", new NotCoordinatorException("moved"))))
                .allSatisfy(e -> assertThat(CommitFailures.classify(e)).as(e.toString())
                        .isEqualTo(CommitFailures.Kind.RETRIABLE));
    }

    @Test
    void rejectedMembershipOrGenerationIsItsOwnKind() {
        assertThat(List.of(new CommitFailedException(), new UnknownMemberIdException("who"),
                new IllegalGenerationException("old"), new RebalanceInProgressException("busy"),
                new KafkaException("wrapped", new CommitFailedException())))
                .allSatisfy(e -> assertThat(CommitFailures.classify(e)).as(e.toString())
                        .isEqualTo(CommitFailures.Kind.MEMBERSHIP));
    }

    @Test
    void theConsumerProtocolsMembershipRefusalsAreMembershipAsUnderTheClassicProtocol() {
        // what the consumer protocol's client reports: unknown member and a synchronous commit with a stale epoch as
        // CommitFailedException, an asynchronous one as StaleMemberEpochException
        assertThat(List.of(new CommitFailedException("OffsetCommit failed with unknown member ID. The coordinator "
                        + "is not aware of this member."),
                new CommitFailedException("OffsetCommit failed with stale member epoch.The member epoch is stale."),
                new StaleMemberEpochException("The member epoch is stale."),
                new FencedMemberEpochException("The member epoch is fenced by the group coordinator."),
                new KafkaException("wrapped", new StaleMemberEpochException("stale"))))
                .allSatisfy(e -> assertThat(CommitFailures.classify(e)).as(e.toString())
                        .isEqualTo(CommitFailures.Kind.MEMBERSHIP));
    }

    @Test
    void theConsumerProtocolsFencedStaticMemberIsFatalAsUnderTheClassicProtocol() {
        CommitFailedException fenced = new CommitFailedException("OffsetCommit failed due to group instance id "
                + "fenced: orders-3");
        assertThat(List.of(fenced, new UnreleasedInstanceIdException("The instance ID is still used by another "
                + "member in the consumer group.")))
                .allSatisfy(e -> assertThat(CommitFailures.classify(e)).as(e.toString())
                        .isEqualTo(CommitFailures.Kind.FATAL));
        CommitFailures failures = new CommitFailures(new ProcessorLogContext("orders"), GROUP, true, Duration.ofMinutes(1), () -> "none");

        assertThat(failures.stops(CommitFailures.classify(fenced))).isTrue();
        assertThat(failures.rejected(fenced)).isInstanceOf(KasperException.class).hasCause(fenced)
                .hasMessageStartingWith("TopicProcessor 'orders': the broker rejected the commit of group '" + GROUP
                        + "': OffsetCommit failed due to group instance id fenced: orders-3 "
                        + "(CommitFailedException); another running consumer uses the same group.instance.id: give "
                        + "every instance its own groupInstanceId.");
    }

    @Test
    void authorizationAuthenticationFencingAndUnknownErrorsAreFatal() {
        assertThat(List.of(new GroupAuthorizationException("no", GROUP),
                new TopicAuthorizationException(Set.of("orders")), new SaslAuthenticationException("bad"),
                new FencedInstanceIdException("twin"), new OffsetMetadataTooLarge("big"),
                new KafkaException("Unexpected error in commit")))
                .allSatisfy(e -> assertThat(CommitFailures.classify(e)).as(e.toString())
                        .isEqualTo(CommitFailures.Kind.FATAL));
    }

    @Test
    void anInterruptIsNotTheBrokersAnswer() {
        assertThat(CommitFailures.classify(new InterruptException(new InterruptedException())))
                .isEqualTo(CommitFailures.Kind.RETRIABLE);
    }

    @Test
    void aRejectedMembershipStopsAStaticProcessorButNotAGroupManagedOne() {
        assertThat(failures(false).stops(CommitFailures.Kind.MEMBERSHIP)).isTrue();
        assertThat(failures(true).stops(CommitFailures.Kind.MEMBERSHIP)).isFalse();
        assertThat(failures(true).stops(CommitFailures.Kind.FATAL)).isTrue();
        assertThat(failures(false).stops(CommitFailures.Kind.RETRIABLE)).isFalse();
    }

    @Test
    void backoffDoublesFrom100MsUpTo2s() {
        CommitFailures failures = failures(false);
        long now = 0;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            failures.failed(new TimeoutException("slow"), now);
            long wait = 0;
            while (!failures.mayCommit(now + wait)) {
                wait += TimeUnit.MILLISECONDS.toNanos(1);
            }
            waits.add(TimeUnit.NANOSECONDS.toMillis(wait));
            now += wait;
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L);
        assertThat(failures.succeeded()).isEqualTo(7);
        assertThat(failures.mayCommit(now)).isTrue();
    }

    @Test
    void commitsFailingForTheOutageTimeoutAreOverdueAndASuccessResetsTheClock() {
        CommitFailures failures = failures(true);
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(failures.overdue(100 * second)).isEmpty();
        failures.failed(new CoordinatorNotAvailableException("gone"), 0);
        failures.failed(new CoordinatorNotAvailableException("gone"), 5 * second);
        assertThat(failures.overdue(9 * second)).isEmpty();
        KasperException overdue = failures.overdue(10 * second).orElseThrow();
        assertThat(overdue).hasMessage("TopicProcessor 'orders': commits of group '" + GROUP + "' have failed for "
                + "10000 ms (2 attempts, errorPolicy brokerOutageTimeout PT10S), the last with "
                + "org.apache.kafka.common.errors.CoordinatorNotAvailableException: gone; stopping. Input processed "
                + "since the last successful commit is processed again after a restart")
                .hasCauseInstanceOf(CoordinatorNotAvailableException.class);

        failures.succeeded();
        failures.failed(new TimeoutException("slow"), 20 * second);
        assertThat(failures.overdue(29 * second)).isEmpty();
    }

    @Test
    void aStaticProcessorsRejectedCommitNamesTheGroupTheReasonTheMembersAndTheFix() {
        CommitFailedException rejected = new CommitFailedException();
        KasperException e = failures(false).rejected(rejected);
        System.out.println("rejected static commit: " + e.getMessage());
        assertThat(e).hasCause(rejected).hasMessage("TopicProcessor 'orders': the broker rejected the commit of "
                + "group '" + GROUP + "': the group coordinator does not know this consumer as a member of the group "
                + "and takes commits only from its members (CommitFailedException); another consumer is an active "
                + "member of this group (member 'm-1' (client.id 'stray', host /10.0.0.7)); a static processor "
                + "(inputPartitions) must have its consumer group to itself: stop the other members or give this "
                + "processor another topicProcessorName. Input processed since the last successful commit is "
                + "processed again after a restart");
    }

    @Test
    void authorizationFailuresNameTheMissingAcl() {
        assertThat(failures(true).rejected(new GroupAuthorizationException("Not authorized to access group: "
                + GROUP, GROUP)))
                .hasMessageStartingWith("TopicProcessor 'orders': the broker rejected the commit of group '" + GROUP
                        + "': Not authorized to access group: " + GROUP + " (GroupAuthorizationException); the "
                        + "principal needs the READ ACL on group '" + GROUP + "'.");
        assertThat(failures(false).rejected(new KafkaException("commit failed",
                new TopicAuthorizationException(Set.of("orders")))))
                .hasMessageContaining("(TopicAuthorizationException); the principal needs the READ ACL on topics "
                        + "[orders].");
        assertThat(failures(true).rejected(new FencedInstanceIdException("fenced")))
                .hasMessageContaining("fenced (FencedInstanceIdException); another running consumer uses the same "
                        + "group.instance.id: give every instance its own groupInstanceId.");
    }
}
