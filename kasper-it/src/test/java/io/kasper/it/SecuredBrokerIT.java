package io.kasper.it;

import static io.kasper.it.Fixtures.range;
import static io.kasper.it.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kasper.BatchFailedException;
import io.kasper.ErrorPolicy;
import io.kasper.InvalidConfigException;
import io.kasper.KasperException;
import io.kasper.MessageProcessor;
import io.kasper.TopicProcessor;
import io.kasper.TopicProcessorConfig;
import io.kasper.test.KafkaBroker;
import io.kasper.redis.RedisStore;
import io.kasper.redis.RedisStoreConfig;
import io.kasper.store.StoreException;
import io.kasper.test.RedisServer;
import io.kasper.test.RunningTopicProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic processor against a broker that requires SASL/PLAIN authentication: it works with the right credentials,
 * fails fast and clearly with wrong ones, and no password or JAAS configuration ever reaches a log line, neither in
 * this JVM (every event recorded by {@link LogCapture}, Kafka and Redis clients at INFO) nor in the broker's own logs.
 * The same holds for a Redis store whose URI carries a password: its rejected configs, its refused login and its
 * failures in the loop are logged (as an application logs them, and as Kasper logs batch retries and failures)
 * without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredBrokerIT {

    private static final String USER = "kasper-app";
    private static final String PASSWORD = "pw-Xk29-secret";
    private static final String WRONG_PASSWORD = "pw-Wr0ng-Q7guess";
    private static final String JAAS = KafkaBroker.plainJaasConfig(USER, PASSWORD);
    private static final String WRONG_JAAS = KafkaBroker.plainJaasConfig(USER, WRONG_PASSWORD);
    private static final String REDIS_USER = "kasper-store";
    private static final String REDIS_PASSWORD = "pw-Rq83-redis-secret";
    private static final String WRONG_REDIS_PASSWORD = "pw-Wr0ng-redis-guess";
    private static final Logger LOG = LoggerFactory.getLogger(SecuredBrokerIT.class);
    private static final int RECORDS = 2_000;
    private static final int PARTITIONS = 4;
    private static final Duration FAIL_FAST = Duration.ofSeconds(30);
    private static final MessageProcessor NOOP = (messages, sender) -> { };

    private static LogCapture logs;
    private static KafkaBroker broker;

    @BeforeAll
    static void startSecuredBroker() {
        logs = LogCapture.start();
        long start = System.nanoTime();
        broker = KafkaBroker.builder().saslPlainUser(USER, PASSWORD).start();
        System.out.printf("SecuredBrokerIT: broker with SASL_PLAINTEXT listener %s ready in %d ms%n",
                broker.saslBootstrapServers(), Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @AfterAll
    static void stopSecuredBroker() {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            if (logs != null) {
                logs.close();
            }
        }
    }

    /** A configuration that connects to the SASL listener with the given JAAS line through kafkaProperty. */
    private static TopicProcessorConfig.Builder securedConfig(String name, String topic, String jaas) {
        return TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers(broker.saslBootstrapServers())
                .inputTopics(List.of(topic)).inputPartitions(range(PARTITIONS))
                .batchSize(250).batchWaitDuration(Duration.ofMillis(100)).closeTimeout(Duration.ofSeconds(20))
                .kafkaProperty("security.protocol", "SASL_PLAINTEXT")
                .kafkaProperty("sasl.mechanism", "PLAIN")
                .kafkaProperty("sasl.jaas.config", jaas)
                .producerProperty("delivery.timeout.ms", 20_000).producerProperty("request.timeout.ms", 10_000);
    }

    @Test
    @Order(1)
    void processesEveryRecordWithTheRightCredentials() throws Exception {
        String in = unique("sasl-in");
        String out = unique("sasl-out");
        broker.createTopic(in, PARTITIONS);
        broker.createTopic(out, PARTITIONS);
        List<ProducerRecord<byte[], byte[]>> input = Fixtures.spread(in, PARTITIONS, RECORDS, "v");
        broker.produce(input);
        String name = unique("sasl-copy");
        MessageProcessor copy = (messages, sender) -> {
            for (ConsumerRecord<byte[], byte[]> m : messages) {
                sender.send(new ProducerRecord<>(out, m.partition(), m.key(), m.value()));
            }
        };

        TopicProcessor processor = new TopicProcessor(securedConfig(name, in, JAAS).build(), p -> copy);
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            run.awaitConsumedAll(Duration.ofSeconds(60));
        }

        List<String> output = broker.readAll(out).stream().map(Fixtures::value).toList();
        assertThat(output).hasSize(RECORDS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(input.stream().map(r -> new String(r.value(),
                        StandardCharsets.UTF_8)).toList());
        Map<TopicPartition, Long> committed = broker.committedOffsets("kasper-topic-processor-" + name);
        assertThat(committed).hasSize(PARTITIONS)
                .allSatisfy((tp, offset) -> assertThat(offset).isEqualTo((long) RECORDS / PARTITIONS));
    }

    @Test
    @Order(2)
    void wrongPasswordFailsConstructionFastWithAClearMessage() {
        String topic = unique("sasl-denied");
        broker.createTopic(topic, PARTITIONS);
        String name = unique("sasl-wrong-pw");

        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> new TopicProcessor(securedConfig(name, topic, WRONG_JAAS).build(),
                p -> NOOP));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("SecuredBrokerIT: wrong password failed construction in %d ms: %s%n", took.toMillis(),
                thrown);

        assertThat(took).isLessThan(FAIL_FAST);
        assertThat(thrown).isExactlyInstanceOf(KasperException.class)
                .hasMessage("TopicProcessor '" + name + "': authentication failed while describing input topic '"
                        + topic + "' on bootstrap servers '" + broker.saslBootstrapServers() + "' (security.protocol "
                        + "SASL_PLAINTEXT, sasl.mechanism PLAIN): Authentication failed: Invalid username or "
                        + "password (SaslAuthenticationException); check the credentials in sasl.jaas.config and "
                        + "that the listener accepts this security.protocol and sasl.mechanism")
                .hasCauseInstanceOf(SaslAuthenticationException.class);
        assertThat(thrown.getMessage()).doesNotContain(WRONG_PASSWORD).doesNotContain(WRONG_JAAS);
        assertThat(broker.committedOffsets("kasper-topic-processor-" + name)).isEmpty();
    }

    @Test
    @Order(3)
    void mechanismTheListenerDoesNotOfferFailsConstructionFast() {
        String topic = unique("sasl-mech");
        broker.createTopic(topic, 1);

        long start = System.nanoTime();
        Throwable thrown = catchThrowable(() -> new TopicProcessor(securedConfig(unique("sasl-scram"), topic,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"" + PASSWORD + "\";")
                .inputPartitions(List.of(0)).kafkaProperty("sasl.mechanism", "SCRAM-SHA-256").build(), p -> NOOP));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("SecuredBrokerIT: unsupported mechanism failed construction in %d ms%n", took.toMillis());

        assertThat(took).isLessThan(FAIL_FAST);
        assertThat(thrown).isExactlyInstanceOf(KasperException.class)
                .hasMessageContaining("authentication failed while describing input topic '" + topic + "'")
                .hasMessageContaining("sasl.mechanism SCRAM-SHA-256")
                .hasMessageContaining("(UnsupportedSaslMechanismException)")
                .hasCauseInstanceOf(UnsupportedSaslMechanismException.class);
        assertThat(thrown.getMessage()).doesNotContain(PASSWORD);
    }

    @Test
    @Order(4)
    void missingJaasConfigFailsConstructionNamingTheConnection() {
        String topic = unique("sasl-nojaas");
        broker.createTopic(topic, 1);
        String name = unique("sasl-nojaas");
        TopicProcessorConfig withoutJaas = TopicProcessorConfig.builder().topicProcessorName(name)
                .bootstrapServers(broker.saslBootstrapServers()).inputTopics(List.of(topic))
                .inputPartitions(List.of(0)).kafkaProperty("security.protocol", "SASL_PLAINTEXT")
                .kafkaProperty("sasl.mechanism", "PLAIN").build();

        assertThat(catchThrowable(() -> new TopicProcessor(withoutJaas, p -> NOOP)))
                .isExactlyInstanceOf(KasperException.class)
                .hasMessageStartingWith("TopicProcessor '" + name + "': cannot create a Kafka admin client for "
                        + "bootstrap servers '" + broker.saslBootstrapServers() + "' (security.protocol "
                        + "SASL_PLAINTEXT, sasl.mechanism PLAIN): IllegalArgumentException: ")
                .hasMessageContaining("JAAS");
    }

    @Test
    @Order(5)
    void consumerWithWrongPasswordStopsTheLoopFast() throws Exception {
        // The admin client (kafkaProperty) authenticates, so construction succeeds; the consumer's override does not.
        String topic = unique("sasl-consumer");
        broker.createTopic(topic, PARTITIONS);
        TopicProcessor processor = new TopicProcessor(securedConfig(unique("sasl-consumer"), topic, JAAS)
                .consumerProperty("sasl.jaas.config", WRONG_JAAS).build(), p -> NOOP);

        long start = System.nanoTime();
        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            failure = run.awaitFailure(FAIL_FAST);
        }
        System.out.printf("SecuredBrokerIT: consumer with wrong password stopped runLoop in %d ms: %s%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis(), failure);

        assertThat(failure).isInstanceOf(KasperException.class)
                .hasRootCauseInstanceOf(SaslAuthenticationException.class)
                .hasMessageContaining("TopicProcessor '" + processor.config().topicProcessorName()
                        + "': authentication failed while consuming and producing on bootstrap servers");
        assertThat(failure.getMessage()).contains("Authentication failed").doesNotContain(WRONG_PASSWORD);
    }

    @Test
    @Order(6)
    void producerWithWrongPasswordFailsTheFirstBatchFast() throws Exception {
        String topic = unique("sasl-producer");
        broker.createTopic(topic, PARTITIONS);
        broker.produce(Fixtures.spread(topic, PARTITIONS, 2_000, "p"));
        TopicProcessor processor = new TopicProcessor(securedConfig(unique("sasl-producer"), topic, JAAS)
                .producerProperty("sasl.jaas.config", WRONG_JAAS).build(), p -> (messages, sender) -> {
                    for (var m : messages) {
                        sender.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, m.value()));
                    }
                });

        long start = System.nanoTime();
        Throwable failure;
        try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
            failure = run.awaitFailure(FAIL_FAST);
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        System.out.printf("SecuredBrokerIT: producer with wrong password stopped runLoop in %d ms: %s%n", millis,
                failure);

        assertThat(failure).isInstanceOf(io.kasper.BatchFailedException.class)
                .hasMessageContaining("output could not be produced")
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        assertThat(failure.getMessage()).doesNotContain(WRONG_PASSWORD);
        assertThat(broker.committedOffsets(processor.config().consumerGroupId())).isEmpty();
    }

    @Test
    @Order(7)
    void redisStoreConfigsAndFailuresWithAPasswordNeverShowIt() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            // An ACL user, so that the harness's own connections (default user, no password) keep working.
            redis.command("ACL", "SETUSER", REDIS_USER, "on", ">" + REDIS_PASSWORD, "~*", "+@all");
            String address = redis.host() + ":" + redis.port();
            String uri = "redis://" + REDIS_USER + ":" + REDIS_PASSWORD + "@" + address + "/0";

            Throwable typo = catchThrowable(() -> redisStore(uri.replace("/0", "/notadb")).build());
            LOG.error("application: Redis store config rejected", typo);
            assertThat(typo).isExactlyInstanceOf(InvalidConfigException.class)
                    .hasMessage("invalid RedisStoreConfig: uri must be a valid Redis URI, was 'redis://***@" + address
                            + "/notadb': NumberFormatException: For input string: \"notadb\"");

            long start = System.nanoTime();
            Throwable denied = catchThrowable(() -> RedisStore.create(redisStore(uri.replace(REDIS_PASSWORD,
                    WRONG_REDIS_PASSWORD)).build()));
            LOG.error("application: Redis store cannot start", denied);
            System.out.printf("SecuredBrokerIT: Redis store with a wrong password failed in %d ms: %s%n",
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), denied);
            assertThat(denied).isExactlyInstanceOf(StoreException.class)
                    .hasMessage("store 'sasl-counts' (redis) cannot connect to " + address + ": "
                            + "RedisConnectionException: Unable to connect to " + redis.host() + "/<unresolved>:"
                            + redis.port() + " (RedisCommandExecutionException: WRONGPASS invalid username-password "
                            + "pair or user is disabled.)");

            RedisStoreConfig config = redisStore(uri).build();
            LOG.info("application: opening {}", config);
            String topic = unique("sasl-store");
            broker.createTopic(topic, 1);
            broker.produce(Fixtures.spread(topic, 1, 100, "s"));
            Throwable failure;
            try (RedisStore store = RedisStore.create(config)) {
                store.put("reachable", new byte[] {1});
                redis.kill(); // every write from now on fails with a retriable store exception
                TopicProcessor processor = new TopicProcessor(securedConfig(unique("sasl-store"), topic, JAAS)
                        .inputPartitions(List.of(0)).errorPolicy(ErrorPolicy.builder().maxRetries(1)
                                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(50)).build()).build(),
                        p -> (messages, sender) -> {
                            for (ConsumerRecord<byte[], byte[]> m : messages) {
                                store.put(Fixtures.value(m), m.value());
                            }
                        });
                try (RunningTopicProcessor run = RunningTopicProcessor.start(processor)) {
                    failure = run.awaitFailure(FAIL_FAST);
                }
            }
            System.out.printf("SecuredBrokerIT: Redis store failure in the loop: %s%n", failure);
            assertThat(failure).isExactlyInstanceOf(BatchFailedException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(((StoreException) failure.getCause()).isRetriable()).isTrue();
            assertThat(failure.getCause()).hasMessageStartingWith("store 'sasl-counts' (redis) put of 1 key failed: ");
        }
    }

    /** A Redis store config for {@code uri}, failing fast. */
    private static RedisStoreConfig.Builder redisStore(String uri) {
        return RedisStoreConfig.builder().name("sasl-counts").uri(uri).prefix("sasl")
                .commandTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(2));
    }

    @Test
    @Order(8)
    void noPasswordOrJaasConfigReachesAnyLog() throws IOException {
        List<String> ours = logs.lines();
        List<String> brokers = brokerLogLines();
        System.out.printf("SecuredBrokerIT: scanned %d log events of this JVM and %d broker log lines%n",
                ours.size(), brokers.size());

        // The scan is meaningful only if the logs cover the secured clients and the failed logins.
        assertThat(ours).as("this JVM's log").isNotEmpty()
                .anyMatch(l -> l.contains("security.protocol = SASL_PLAINTEXT")) // Kafka client config dumps
                .anyMatch(l -> l.contains("sasl.jaas.config = [hidden]"))
                .anyMatch(l -> l.contains("failed authentication"))              // the wrong-password logins
                .anyMatch(l -> l.contains("TopicProcessor 'sasl-copy-"))           // Kasper's own lines
                .anyMatch(l -> l.contains("invalid RedisStoreConfig: uri must be a valid Redis URI")) // config error
                .anyMatch(l -> l.contains("RedisStoreConfig{name='sasl-counts'"))  // store config's toString
                .anyMatch(l -> l.contains("WRONGPASS"))                            // the refused store login
                .anyMatch(l -> l.contains("store 'sasl-counts' (redis) put of 1 key failed")); // store failures
        assertThat(brokers).as("the broker's logs").isNotEmpty()
                .anyMatch(l -> l.contains("SASL_PLAINTEXT"))
                .anyMatch(l -> l.contains("Failed authentication"));

        assertThat(leaks(ours)).as("this JVM's log lines containing a password or JAAS line").isEmpty();
        assertThat(leaks(brokers)).as("the broker's log lines containing a password or JAAS line").isEmpty();
    }

    private static List<String> leaks(List<String> lines) {
        List<String> secrets = List.of(PASSWORD, WRONG_PASSWORD, JAAS, WRONG_JAAS, REDIS_PASSWORD,
                WRONG_REDIS_PASSWORD);
        return lines.stream().filter(l -> secrets.stream().anyMatch(l::contains)).toList();
    }

    /** Every line of the broker's log files: its console ({@code broker.log}) and log4j ({@code server.log}). */
    private static List<String> brokerLogLines() throws IOException {
        List<String> lines = new ArrayList<>();
        Set<Path> files;
        try (Stream<Path> dir = Files.list(broker.logFile().getParent())) {
            files = dir.filter(f -> f.getFileName().toString().endsWith(".log") && Files.isRegularFile(f))
                    .collect(Collectors.toSet());
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains("broker.log", "server.log");
        for (Path file : files) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        return lines;
    }
}
