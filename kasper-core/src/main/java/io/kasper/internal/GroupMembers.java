package io.kasper.internal;

import io.kasper.InvalidConfigException;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the active members of a consumer group, and refuses a static processor whose group has any: the broker
 * takes commits from outside a group (generation -1) only while the group has no members, so a static processor
 * sharing its group with a group-managed instance or any other subscribed consumer could never commit. Stateless,
 * thread-safe.
 */
final class GroupMembers {

    private static final Logger LOG = LoggerFactory.getLogger(GroupMembers.class);
    /** Longest wait for the member list when a commit was rejected: only the message of a failure depends on it. */
    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(5);

    private GroupMembers() {
    }

    /**
     * Checks that the consumer group of a static processor has no active members.
     *
     * <p>A principal that may not describe the group is let through with a warning (its commits then tell whether
     * the group is shared): READ on a group implies DESCRIBE, but an ACL may deny DESCRIBE alone.
     *
     * @param admin a connected admin client
     * @param config a static processor's configuration
     * @param context names the processor in the warning and the message
     * @param timeout the longest wait for the answer
     * @throws InvalidConfigException naming the members when the group has any
     * @throws ExecutionException when describing the group fails otherwise (the caller translates it)
     * @throws TimeoutException when the cluster does not answer in time
     * @throws InterruptedException when interrupted while waiting
     */
    static void requireNone(Admin admin, TopicProcessorConfig config, ProcessorLogContext context,
            Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        String groupId = config.consumerGroupId();
        List<MemberDescription> members;
        try {
            members = active(admin, groupId, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthorizationException) {
                context.logger(GroupMembers.class).warn("not authorized to describe consumer group '{}', so it cannot "
                        + "check that no other consumer is a member of it; commits will fail if one is: {}", groupId,
                        e.getCause().getMessage());
                return;
            }
            throw e;
        }
        if (!members.isEmpty()) {
            throw new InvalidConfigException(context.message("its consumer group '"
                    + groupId + "' has " + members.size() + " active member(s): " + describe(members) + "; the broker "
                    + "rejects the commits of a static processor (inputPartitions) while its group has members. Stop "
                    + "them (a member that died leaves after its " + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG
                    + ") or give this processor another "
                    + "topicProcessorName"));
        }
    }

    /**
     * Returns the group's active members in words, or why they could not be listed; never throws.
     *
     * @param factory creates the admin client
     * @param adminProperties the admin client's configuration
     * @param groupId the consumer group
     */
    static String list(KafkaClientFactory factory, Map<String, Object> adminProperties, String groupId) {
        Admin admin = null;
        try {
            admin = factory.admin(adminProperties);
            List<MemberDescription> members = active(admin, groupId, LIST_TIMEOUT);
            return members.isEmpty() ? "none is left now" : describe(members);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "the members could not be listed: interrupted";
        } catch (ExecutionException e) {
            return "the members could not be listed: " + SecurityFailures.scrub(String.valueOf(e.getCause()),
                    adminProperties);
        } catch (TimeoutException e) {
            return "the members could not be listed within " + LIST_TIMEOUT.toSeconds() + " s";
        } catch (RuntimeException e) {
            return "the members could not be listed: " + SecurityFailures.scrub(e.toString(), adminProperties);
        } finally {
            closeNow(admin);
        }
    }

    /** Closes without waiting: a request still pending after the timeout must not hold up a failure. */
    private static void closeNow(Admin admin) {
        if (admin == null) {
            return;
        }
        try {
            admin.close(Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.debug("closing the admin client failed", e);
        }
    }

    /** Returns the group's members; none when the group does not exist. */
    static List<MemberDescription> active(Admin admin, String groupId, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups()
                    .get(groupId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return List.copyOf(group.members());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    /** Returns the members in words: member id, client id, host and {@code group.instance.id}, if any. */
    static String describe(Collection<MemberDescription> members) {
        List<String> parts = new ArrayList<>();
        for (MemberDescription m : members) {
            parts.add("member '" + m.consumerId() + "' (" + ConsumerConfig.CLIENT_ID_CONFIG + " '" + m.clientId()
                    + "', host " + m.host() + m.groupInstanceId()
                            .map(id -> ", " + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG + " '" + id + "'").orElse("")
                    + ")");
        }
        return String.join(", ", parts);
    }
}
