package io.kasper.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerIT {

    @Test
    void createsTopicWithTwelvePartitionsVisibleToAdminClient(KafkaBroker broker) throws Exception {
        broker.createTopic("harness-twelve", 12);

        try (Admin admin = Admin.create(broker.clientProperties())) {
            TopicDescription description = admin.describeTopics(List.of("harness-twelve")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("harness-twelve");
            assertThat(description.partitions()).hasSize(12)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull());
        }
    }

    @Test
    void aTopicCreatedThroughTheBootstrapServersAloneHasALeaderForEveryPartitionOnReturn(KafkaBroker broker)
            throws Exception {
        KafkaBroker.createTopic(broker.bootstrapServers(), "harness-by-bootstrap", 6);

        try (Admin admin = Admin.create(broker.clientProperties())) {
            TopicDescription description = admin.describeTopics(List.of("harness-by-bootstrap")).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get("harness-by-bootstrap");
            assertThat(description.partitions()).hasSize(6).allSatisfy(p -> assertThat(p.leader()).isNotNull());
        }
    }

    @Test
    void readsBackEveryOneOfTenThousandKeyedRecords(KafkaBroker broker) {
        broker.createTopic("harness-10k", 12);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            records.add(new ProducerRecord<>("harness-10k", ("key-" + i).getBytes(UTF_8), ("value-" + i).getBytes(UTF_8)));
        }

        broker.produce(records);
        List<ConsumerRecord<byte[], byte[]>> read = broker.readAll("harness-10k");

        assertThat(read).hasSize(10_000);
        assertThat(read.stream().map(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8))
                .collect(Collectors.toSet()))
                .isEqualTo(records.stream().map(r -> new String(r.key(), UTF_8) + "=" + new String(r.value(), UTF_8))
                        .collect(Collectors.toSet()));
        assertThat(read.stream().map(ConsumerRecord::partition).collect(Collectors.toSet())).hasSize(12);
    }

    @Test
    void aProxiedListenerSendsItsClientsBackThroughTheProxyForEveryLaterRequest() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().proxiedListener().start();
                ServerSocket proxy = new ServerSocket(broker.proxyPort(), 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger proxied = new AtomicInteger();
            Thread forwarder = new Thread(() -> forward(proxy, broker.proxiedListenerPort(), proxied), "forwarder");
            forwarder.setDaemon(true);
            forwarder.start();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "127.0.0.1:" + broker.proxiedListenerPort()))) {
                // bootstrapped at the listener itself, the client is told the broker is at the proxy's port
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::port)
                        .containsExactly(proxy.getLocalPort());
            }
            assertThat(proxied.get()).as("connections through the proxy").isPositive();
            assertThat(broker.proxiedListenerPort()).isNotEqualTo(proxy.getLocalPort());
            assertThat(broker.bootstrapServers()).doesNotEndWith(":" + proxy.getLocalPort());
        }
    }

    /** A plain TCP forwarder standing in for a proxy: copies both ways until either side closes. */
    private static void forward(ServerSocket proxy, int targetPort, AtomicInteger connections) {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                connections.incrementAndGet();
                for (Socket[] pair : new Socket[][] {{client, upstream}, {upstream, client}}) {
                    Thread copy = new Thread(() -> {
                        try {
                            pair[0].getInputStream().transferTo(pair[1].getOutputStream());
                        } catch (IOException closed) {
                            // one side went away: the connection is over
                        }
                    }, "forwarder-copy");
                    copy.setDaemon(true);
                    copy.start();
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Test
    void aBrokerWithoutAProxiedListenerSaysHowToGetOne(KafkaBroker broker) {
        assertThatThrownBy(broker::proxiedListenerPort).isInstanceOf(IllegalStateException.class)
                .hasMessage("this broker has no proxied listener: start it with "
                        + "KafkaBroker.builder().proxiedListener().start()");
        assertThatThrownBy(broker::proxyPort).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KafkaBroker.builder().proxiedListener().start()");
    }

    @Test
    void aBrokerGivenADataDirParentKeepsItsLogsThereAndDeletesThemOnClose() throws Exception {
        Path parent = Files.createTempDirectory("kasper-data-parent-");
        try {
            Path dataDir;
            try (KafkaBroker broker = KafkaBroker.builder().dataDirParent(parent).start()) {
                dataDir = broker.dataDir();
                broker.createTopic("harness-data-dir", 1);
                broker.produce(List.of(new ProducerRecord<>("harness-data-dir", "k".getBytes(UTF_8),
                        "v".getBytes(UTF_8))));

                assertThat(dataDir).startsWith(parent);
                assertThat(dataDir.resolve("harness-data-dir-0")).isDirectory();
            }
            assertThat(dataDir).doesNotExist();
        } finally {
            Files.deleteIfExists(parent);
        }
    }

    @Test
    void killedBrokerFailsProducesQuicklyAndKeepsAckedRecordsAfterRestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic("harness-kill", 4);
            List<ProducerRecord<byte[], byte[]>> acked = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                acked.add(new ProducerRecord<>("harness-kill", ("k" + i).getBytes(UTF_8), ("v" + i).getBytes(UTF_8)));
            }
            broker.produce(acked);

            broker.kill();
            assertThat(broker.isRunning()).isFalse();

            Properties props = broker.clientProperties();
            props.setProperty(ProducerConfig.ACKS_CONFIG, "all");
            props.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "4000");
            props.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            props.setProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
            props.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "4000");
            long start = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer =
                         new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                assertThatThrownBy(() -> {
                    Future<RecordMetadata> ack = producer.send(
                            new ProducerRecord<>("harness-kill", "late".getBytes(UTF_8), "late".getBytes(UTF_8)));
                    ack.get(30, TimeUnit.SECONDS);
                }).isInstanceOfAny(ExecutionException.class, org.apache.kafka.common.KafkaException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

            broker.restart();
            assertThat(broker.isRunning()).isTrue();
            Set<String> afterRestart = broker.readAll("harness-kill").stream()
                    .map(r -> new String(r.value(), UTF_8)).collect(Collectors.toSet());
            assertThat(afterRestart).containsAll(acked.stream().map(r -> new String(r.value(), UTF_8)).toList());
        }
    }

    @Test
    void committedOffsetsAreEmptyForUnknownGroup(KafkaBroker broker) {
        assertThat(broker.committedOffsets("no-such-group")).isEqualTo(Map.of());
    }
}
