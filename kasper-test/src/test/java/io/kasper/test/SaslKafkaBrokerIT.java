package io.kasper.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class SaslKafkaBrokerIT {

    private static KafkaBroker secured;

    @BeforeAll
    static void startSecuredBroker() {
        long start = System.nanoTime();
        secured = KafkaBroker.builder().saslPlainUser("alice", "alice-pw-1").saslPlainUser("bob", "bob-pw-2").start();
        System.out.printf("SaslKafkaBrokerIT: broker with a SASL_PLAINTEXT listener started in %d ms%n",
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @AfterAll
    static void stopSecuredBroker() {
        if (secured != null) {
            secured.close();
        }
    }

    @Test
    void usersProduceAndConsumeOverSaslWhileTheHelpersKeepUsingPlaintext() throws Exception {
        assertThat(secured.saslBootstrapServers()).isNotEqualTo(secured.bootstrapServers())
                .startsWith("127.0.0.1:");
        secured.createTopic("sasl-roundtrip", 3); // over PLAINTEXT

        Properties alice = secured.saslClientProperties("alice");
        alice.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        alice.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(alice, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>("sasl-roundtrip", i % 3, null, ("v" + i).getBytes(UTF_8)));
            }
            producer.flush();
        }

        Properties bob = secured.saslClientProperties("bob");
        bob.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "sasl-bob");
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(bob, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("sasl-roundtrip", 0),
                    new TopicPartition("sasl-roundtrip", 1), new TopicPartition("sasl-roundtrip", 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < 300 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(new String(r.value(), UTF_8));
                }
            }
        }
        assertThat(read).hasSize(300).doesNotHaveDuplicates();
        assertThat(secured.readAll("sasl-roundtrip")).hasSize(300); // the same records over PLAINTEXT
    }

    @Test
    void wrongPasswordFailsAuthenticationQuickly() {
        Properties props = secured.saslClientProperties("alice");
        props.setProperty("sasl.jaas.config", KafkaBroker.plainJaasConfig("alice", "not-alices-password"));
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        long start = System.nanoTime();
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("Invalid username or password");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("SaslKafkaBrokerIT: wrong password rejected in %d ms%n", took.toMillis());
        assertThat(took).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void plaintextClientsCannotUseTheSaslListener() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", secured.saslBootstrapServers());
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void unknownUserIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> secured.saslClientProperties("carol"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("username 'carol' is not a SASL user of this broker; its users are [alice, bob]");
    }

    @Test
    void brokerWithoutUsersHasNoSaslListener(KafkaBroker shared) {
        assertThatThrownBy(shared::saslBootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no SASL_PLAINTEXT listener");
        assertThatThrownBy(() -> shared.saslClientProperties("alice"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void saslListenerSurvivesARestart() throws Exception {
        String before = secured.saslBootstrapServers();
        secured.restart();
        assertThat(secured.saslBootstrapServers()).isEqualTo(before);
        try (Admin admin = Admin.create(secured.saslClientProperties("bob"))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
