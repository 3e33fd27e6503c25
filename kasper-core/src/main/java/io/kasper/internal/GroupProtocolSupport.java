package io.kasper.internal;

import io.kasper.GroupProtocol;
import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.TopicProcessorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether the cluster supports the consumer group protocol a processor asks for. Under
 * {@link GroupProtocol#CONSUMER} the brokers must be Kafka 4.0 or newer, with the {@code group.version} feature at 1
 * or more and {@code consumer} in their {@code group.coordinator.rebalance.protocols}; otherwise the Kafka consumer
 * fails at its first poll with an {@link UnsupportedVersionException}. Checked at construction as far as the
 * principal may see it, and translated into a clear failure at run time otherwise. Stateless, thread-safe.
 */
final class GroupProtocolSupport {

    private static final Logger LOG = LoggerFactory.getLogger(GroupProtocolSupport.class);
    /** The feature that enables the consumer protocol on the brokers (KIP-848): level 1 or more. */
    static final String GROUP_VERSION_FEATURE = "group.version";
    /** The broker setting that lists the group protocols it serves. */
    static final String REBALANCE_PROTOCOLS_CONFIG = "group.coordinator.rebalance.protocols";

    private GroupProtocolSupport() {
    }

    /**
     * Checks, for a processor under {@link GroupProtocol#CONSUMER}, that the cluster serves that protocol; does
     * nothing for other processors. What the principal may not read is let through (the first poll then tells).
     *
     * @param admin a connected admin client
     * @param config the processor's configuration
     * @param context the processor's log context, which prefixes the message
     * @param timeout the longest wait for each answer
     * @throws InvalidConfigException naming the brokers, what they lack and the switch, when they lack the protocol
     * @throws InterruptedException when interrupted while waiting
     */
    static void require(Admin admin, TopicProcessorConfig config, ProcessorLogContext context, Duration timeout)
            throws InterruptedException {
        if (!config.isGroupManaged() || config.groupProtocol() != GroupProtocol.CONSUMER) {
            return;
        }
        Optional<String> lacking = lacking(admin, timeout);
        if (lacking.isPresent()) {
            throw new InvalidConfigException(unsupported(config, context, lacking.get()));
        }
    }

    /**
     * Returns the failure to stop with when {@code thrown} is the consumer's refusal of the consumer protocol.
     *
     * @param config the processor's configuration
     * @param context the processor's log context, which prefixes the message
     * @param thrown what the Kafka consumer threw
     */
    static Optional<KasperException> translate(TopicProcessorConfig config, ProcessorLogContext context,
            Throwable thrown) {
        if (!config.isGroupManaged() || config.groupProtocol() != GroupProtocol.CONSUMER) {
            return Optional.empty();
        }
        for (Throwable t : KasperException.causeChain(thrown)) {
            if (t instanceof UnsupportedVersionException) {
                return Optional.of(new KasperException(unsupported(config, context, "the group coordinator answered: "
                        + t.getMessage()), thrown));
            }
        }
        return Optional.empty();
    }

    private static String unsupported(TopicProcessorConfig config, ProcessorLogContext context, String lacking) {
        return context.message("groupProtocol CONSUMER needs brokers of Kafka "
                + "4.0 or newer that serve the consumer group protocol (feature " + GROUP_VERSION_FEATURE
                + " at 1 or more, 'consumer' in " + REBALANCE_PROTOCOLS_CONFIG + "), but the cluster at "
                + config.bootstrapServers() + " does not: " + (lacking.endsWith(".") ? lacking.substring(0,
                lacking.length() - 1) : lacking) + ". Use groupProtocol(GroupProtocol.CLASSIC) "
                + "until the brokers are upgraded");
    }

    /** Returns what the brokers lack for the consumer protocol, or empty when they have it or cannot tell. */
    private static Optional<String> lacking(Admin admin, Duration timeout) throws InterruptedException {
        try {
            FeatureMetadata features = admin.describeFeatures().featureMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            FinalizedVersionRange level = features.finalizedFeatures().get(GROUP_VERSION_FEATURE);
            if (level == null || level.maxVersionLevel() < 1) {
                return Optional.of("its feature " + GROUP_VERSION_FEATURE + " is "
                        + (level == null ? "not finalized (a broker older than Kafka 4.0)" : "at level "
                        + level.maxVersionLevel()));
            }
            String brokerId = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .iterator().next().idString();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Config brokerConfig = admin.describeConfigs(List.of(broker)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(broker);
            ConfigEntry protocols = brokerConfig == null ? null : brokerConfig.get(REBALANCE_PROTOCOLS_CONFIG);
            if (protocols != null && protocols.value() != null && !List.of(protocols.value()
                    .toLowerCase(Locale.ROOT).replace(" ", "").split(",")).contains("consumer")) {
                return Optional.of("broker " + brokerId + " has " + REBALANCE_PROTOCOLS_CONFIG + "="
                        + protocols.value());
            }
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // e.g. no DESCRIBE_CONFIGS on the cluster: the consumer's first poll tells instead
            LOG.debug("cannot tell whether the cluster serves the consumer group protocol", e);
            return Optional.empty();
        }
    }
}
