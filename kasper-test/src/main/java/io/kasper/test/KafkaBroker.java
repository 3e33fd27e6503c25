package io.kasper.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) for tests, forked as its own JVM from
 * the Kafka artifacts on Maven Central, on free loopback ports, with its data and logs in a fresh temporary directory.
 *
 * <p>The broker can be {@linkplain #stop() stopped gracefully}, {@linkplain #kill() killed with SIGKILL} and
 * {@linkplain #restart() restarted} on the same ports and data directory, which fault-injection tests need. Its log
 * goes to {@link #logFile()}, never to the console. {@link #close()} stops it and deletes the directory.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {
 *     broker.createTopic("orders", 12);
 *     broker.produce(List.of(new ProducerRecord<>("orders", key, value)));
 *     List<ConsumerRecord<byte[], byte[]>> all = broker.readAll("orders");
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private final Path workDir;
    private final BrokerProcess process;
    private final TopicAdmin topics;
    private final RecordIo records;
    private final Thread reaper = new Thread(this::killQuietly, "kasper-broker-reaper");
    private boolean closed;

    private KafkaBroker(Path workDir, Map<String, String> serverProperties) {
        this.workDir = workDir;
        this.process = new BrokerProcess(workDir, serverProperties);
        this.topics = new TopicAdmin(this::bootstrapServers);
        this.records = new RecordIo(this::bootstrapServers);
    }

    /**
     * Starts a broker with the default configuration and waits until it answers.
     *
     * @return the running broker; close it to stop it and delete its data
     * @throws IllegalStateException when the broker does not start within 60 s (the message carries its log tail)
     */
    public static KafkaBroker start() {
        return start(Map.of());
    }

    /**
     * Starts a broker with extra {@code server.properties} entries (they override the defaults).
     *
     * @param serverProperties broker settings, e.g. {@code log.flush.interval.messages}
     * @return the running broker
     * @throws IllegalStateException when the broker does not start within 60 s
     */
    public static KafkaBroker start(Map<String, String> serverProperties) {
        KafkaBroker broker = new KafkaBroker(ServerLaunch.tempDir("kasper-kafka-", "the broker"), serverProperties);
        ServerLaunch.start(broker.reaper, broker::startProcess, broker::close);
        return broker;
    }

    /** Returns {@code host:port} of the broker's PLAINTEXT listener; stable across restarts. */
    public String bootstrapServers() {
        return process.bootstrapServers();
    }

    /** Returns the file that receives the broker's stdout, stderr and log4j output is next to it ({@code server.log}). */
    public Path logFile() {
        return process.logFile();
    }

    /** Returns the broker's data directory ({@code log.dirs}). */
    public Path dataDir() {
        return process.dataDir();
    }

    /** Returns whether the broker process is alive. */
    public synchronized boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Creates a topic with replication factor 1 and returns only when every partition has a leader and answers
     * {@code listOffsets}, so that records produced right afterwards are not lost (KAFKA-15591).
     *
     * @param name topic name
     * @param partitions number of partitions, at least 1
     * @throws IllegalStateException when the topic cannot be created or does not become ready within 30 s
     */
    public void createTopic(String name, int partitions) {
        topics.createTopic(name, partitions);
    }

    /**
     * Produces the records with acks=all and an idempotent producer, and waits until every one is acknowledged.
     *
     * @param toProduce the records, produced in iteration order
     * @throws IllegalStateException when any record is not acknowledged within 30 s
     */
    public void produce(Collection<ProducerRecord<byte[], byte[]>> toProduce) {
        records.produce(toProduce);
    }

    /**
     * Reads a topic from the beginning up to the end offsets current when the call starts, all partitions.
     *
     * @param topic the topic to read
     * @return every record, grouped by partition in ascending partition order, offset order within a partition
     * @throws IllegalStateException when the records cannot be read within 60 s
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return records.readAll(topic);
    }

    /**
     * Returns the committed offsets of a consumer group (partitions without a committed offset are left out).
     *
     * @param groupId the consumer group id
     * @throws IllegalStateException when the offsets cannot be read
     */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        return topics.committedOffsets(groupId);
    }

    /** Returns client properties pointing at this broker ({@code bootstrap.servers} only); a fresh copy each call. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** Stops the broker with SIGTERM (controlled shutdown). Data is kept; {@link #restart()} brings it back. */
    public synchronized void stop() {
        process.stop();
    }

    /** Kills the broker with SIGKILL. Data is kept; {@link #restart()} brings it back on the same ports. */
    public synchronized void kill() {
        LOG.info("killing Kafka broker on {} with SIGKILL", bootstrapServers());
        process.kill();
    }

    /**
     * Starts the broker again on the same ports and data directory (stopping it first if it runs).
     *
     * @throws IllegalStateException when it does not come back within 60 s
     */
    public synchronized void restart() {
        process.stop();
        startProcess();
    }

    /** Stops the broker and deletes its directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        topics.close();
        process.stop();
        ServerLaunch.removeReaper(reaper);
        BrokerProcess.deleteRecursively(workDir);
    }

    private synchronized void startProcess() {
        long started = System.nanoTime();
        process.start();
        LOG.info("Kafka broker ready on {} in {} ms (dir {})", bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), workDir);
    }

    private synchronized void killQuietly() {
        if (!closed) {
            process.kill();
        }
    }
}
