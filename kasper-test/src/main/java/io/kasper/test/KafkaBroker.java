package io.kasper.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process) for tests, forked as its own JVM from
 * the Kafka artifacts on Maven Central, on free loopback ports, with its data and logs in a fresh temporary directory.
 *
 * <p>Groups of the consumer group protocol ({@code group.protocol=consumer}) get a session timeout of 6 s and a
 * heartbeat interval of 1 s from it ({@code group.consumer.session.timeout.ms},
 * {@code group.consumer.heartbeat.interval.ms}), instead of Kafka's 45 s and 5 s, so that tests notice a killed
 * member as soon as with classic members that set {@code session.timeout.ms} to 6 s.
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
 * <p>A broker built with {@link #builder()} and {@link Builder#saslPlainUser(String, String)} also has a
 * SASL_PLAINTEXT listener that accepts the PLAIN mechanism for exactly those users, for tests of secured clusters.
 * The PLAINTEXT listener stays (the harness's own topic and record helpers use it, and the broker replicates over
 * it), so only clients given {@link #saslBootstrapServers()} authenticate:
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.builder().saslPlainUser("alice", "alice-secret").start()) {
 *     Properties alice = broker.saslClientProperties("alice");   // bootstrap.servers, security.protocol, ...
 * }
 * }</pre>
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private final Path workDir;
    private final Map<String, String> saslPlainUsers;
    private final BrokerProcess process;
    private final TopicAdmin topics;
    private final RecordIo records;
    private final Thread reaper = new Thread(this::killQuietly, "kasper-broker-reaper");
    private boolean closed;

    private KafkaBroker(Path workDir, Map<String, String> serverProperties, Map<String, String> saslPlainUsers,
            boolean proxied) {
        this.workDir = workDir;
        this.saslPlainUsers = Map.copyOf(saslPlainUsers);
        this.process = new BrokerProcess(workDir, serverProperties, saslPlainUsers, proxied);
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
        return start(null, serverProperties, Map.of(), false);
    }

    /**
     * Returns a builder for a broker with more than the defaults, e.g. SASL users.
     *
     * @return a new builder; nothing starts until {@link Builder#start()}
     */
    public static Builder builder() {
        return new Builder();
    }

    private static KafkaBroker start(Path dataDirParent, Map<String, String> serverProperties,
            Map<String, String> saslPlainUsers, boolean proxied) {
        KafkaBroker broker = new KafkaBroker(ServerLaunch.tempDir(dataDirParent, "kasper-kafka-", "the broker"),
                serverProperties, saslPlainUsers, proxied);
        ServerLaunch.start(broker.reaper, broker::startProcess, broker::close);
        return broker;
    }

    /**
     * Returns {@code host:port} of the broker's PLAINTEXT listener; stable across restarts.
     *
     * @return {@code host:port} of the broker's PLAINTEXT listener; stable across restarts
     */
    public String bootstrapServers() {
        return process.bootstrapServers();
    }

    /**
     * Returns the loopback port of the listener a proxy forwards to (see {@link Builder#proxiedListener()});
     * stable across restarts.
     *
     * @return the port the proxied listener listens on
     * @throws IllegalStateException when the broker was started without a proxied listener
     */
    public int proxiedListenerPort() {
        requireProxiedListener();
        return process.proxiedPort();
    }

    /**
     * Returns the loopback port the proxied listener is advertised at: where the proxy is to listen (see
     * {@link Builder#proxiedListener()}); stable across restarts.
     *
     * @return the port the broker's metadata names for the proxied listener
     * @throws IllegalStateException when the broker was started without a proxied listener
     */
    public int proxyPort() {
        requireProxiedListener();
        return process.proxyPort();
    }

    private void requireProxiedListener() {
        if (process.proxiedPort() < 0) {
            throw new IllegalStateException("this broker has no proxied listener: start it with "
                    + "KafkaBroker.builder().proxiedListener().start()");
        }
    }

    /**
     * Returns {@code host:port} of the broker's SASL_PLAINTEXT listener (mechanism PLAIN); stable across restarts.
     *
     * @return {@code host:port} of the broker's SASL_PLAINTEXT listener (mechanism PLAIN); stable across restarts
     * @throws IllegalStateException when the broker was started without SASL users
     */
    public String saslBootstrapServers() {
        if (!process.hasSaslListener()) {
            throw new IllegalStateException("this broker has no SASL_PLAINTEXT listener: start it with "
                    + "KafkaBroker.builder().saslPlainUser(username, password).start()");
        }
        return process.saslBootstrapServers();
    }

    /**
     * Returns client properties that log in to the SASL_PLAINTEXT listener as {@code username} with the password it
     * was started with: {@code bootstrap.servers}, {@code security.protocol=SASL_PLAINTEXT},
     * {@code sasl.mechanism=PLAIN} and {@code sasl.jaas.config}. A fresh copy each call.
     *
     * @param username one of the users given to {@link Builder#saslPlainUser(String, String)}
     * @throws IllegalStateException when the broker was started without SASL users
     * @return client properties that log in to the SASL_PLAINTEXT listener as {@code username}
     * @throws IllegalArgumentException when {@code username} is not one of them
     */
    public Properties saslClientProperties(String username) {
        String bootstrap = saslBootstrapServers();
        String password = saslPlainUsers.get(username);
        if (password == null) {
            throw new IllegalArgumentException("username '" + username + "' is not a SASL user of this broker; its "
                    + "users are " + new TreeSet<>(saslPlainUsers.keySet()));
        }
        Properties props = new Properties();
        props.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SaslPlain.LISTENER);
        props.setProperty(SaslConfigs.SASL_MECHANISM, SaslPlain.MECHANISM);
        props.setProperty(SaslConfigs.SASL_JAAS_CONFIG, plainJaasConfig(username, password));
        return props;
    }

    /**
     * Returns the client {@code sasl.jaas.config} value that logs in with SASL/PLAIN as {@code username} with
     * {@code password}, e.g. to try a wrong password. Thread-safe (stateless).
     *
     * @param username letters, digits, {@code _} and {@code -}
     * @param password not empty, without {@code "}, {@code \} or control characters
     * @return {@code org.apache.kafka.common.security.plain.PlainLoginModule required username="..." password="...";}
     * @throws IllegalArgumentException when the username or password breaks those rules (the message never
     *     contains the password)
     * @throws NullPointerException when either is null
     */
    public static String plainJaasConfig(String username, String password) {
        return SaslPlain.clientJaasConfig(username, password);
    }

    /**
     * Returns the file that receives the broker's stdout, stderr and log4j output is next to it ({@code server.log}).
     *
     * @return the file that receives the broker's stdout, stderr and log4j output is next to it ({@code server.log})
     */
    public Path logFile() {
        return process.logFile();
    }

    /**
     * Returns the broker's data directory ({@code log.dirs}).
     *
     * @return the broker's data directory ({@code log.dirs})
     */
    public Path dataDir() {
        return process.dataDir();
    }

    /**
     * Returns the process id of the forked broker JVM, or -1 when it is not running; e.g. to read its CPU time from
     * {@code /proc/<pid>/stat} (the benchmark does).
     *
     * @return the process id of the forked broker JVM, or -1 when it is not running
     */
    public synchronized long pid() {
        return process.pid();
    }

    /**
     * Returns whether the broker process is alive.
     *
     * @return whether the broker process is alive
     */
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
     * Creates a topic, like {@link #createTopic(String, int)}, on a broker that another process started (one whose
     * {@code KafkaBroker} lives in another JVM), through an admin client of its own that is closed on return.
     *
     * @param bootstrapServers the broker's bootstrap servers
     * @param name topic name
     * @param partitions number of partitions, at least 1
     * @throws IllegalStateException when the topic cannot be created or does not become ready within 30 s
     */
    public static void createTopic(String bootstrapServers, String name, int partitions) {
        try (TopicAdmin admin = new TopicAdmin(() -> bootstrapServers)) {
            admin.createTopic(name, partitions);
        }
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
        return records.readAll(topic, IsolationLevel.READ_UNCOMMITTED);
    }

    /**
     * Reads a topic as a consumer with {@code isolation.level=read_committed} does: from the beginning up to the last
     * stable offsets current when the call starts, all partitions, without the records of aborted transactions and
     * without those of transactions still open (the read waits for nothing: it stops before the first open one).
     *
     * @param topic the topic to read
     * @return every committed record, grouped by partition in ascending partition order, offset order within a
     *     partition
     * @throws IllegalStateException when the records cannot be read within 60 s
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        return records.readAll(topic, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Returns the committed offsets of a consumer group (partitions without a committed offset are left out).
     *
     * @param groupId the consumer group id
     * @return the committed offsets of a consumer group (partitions without a committed offset are left out)
     * @throws IllegalStateException when the offsets cannot be read
     */
    public Map<TopicPartition, Long> committedOffsets(String groupId) {
        return topics.committedOffsets(groupId);
    }

    /**
     * Returns client properties pointing at this broker ({@code bootstrap.servers} only); a fresh copy each call.
     *
     * @return client properties pointing at this broker ({@code bootstrap.servers} only); a fresh copy each call
     */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
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
     * Freezes the broker with SIGSTOP: connections stay open but nothing answers (as in a long GC pause or a hung
     * host), so clients see timeouts rather than refused connections. {@link #resume()} lets it go on; stopping,
     * killing or closing a frozen broker resumes it first. Use it on a broker of the test's own.
     *
     * @throws IllegalStateException when the broker is not running or cannot be signalled
     */
    public synchronized void pause() {
        LOG.info("freezing Kafka broker on {} with SIGSTOP", bootstrapServers());
        process.pause();
    }

    /**
     * Lets a broker frozen by {@link #pause()} go on (SIGCONT); does nothing when it is not frozen.
     *
     * @throws IllegalStateException when the broker cannot be signalled
     */
    public synchronized void resume() {
        process.resume();
        LOG.info("Kafka broker on {} resumed", bootstrapServers());
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
        LOG.info("Kafka broker ready on {}{} in {} ms (dir {})", bootstrapServers(),
                process.hasSaslListener() ? " and SASL_PLAINTEXT " + process.saslBootstrapServers() : "",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), workDir);
    }

    private synchronized void killQuietly() {
        if (!closed) {
            process.kill();
        }
    }

    /**
     * Collects the settings of a broker to start: extra {@code server.properties} entries and SASL/PLAIN users.
     *
     * <p>Thread-safety: not thread-safe; use one builder from one thread.
     */
    public static final class Builder {

        private final Map<String, String> serverProperties = new LinkedHashMap<>();
        private final Map<String, String> saslPlainUsers = new LinkedHashMap<>();
        private Path dataDirParent;
        private boolean proxied;

        private Builder() {
        }

        /**
         * Gives the broker one more PLAINTEXT listener, which its metadata names at another free loopback port, the
         * proxy's ({@link KafkaBroker#proxyPort()}), instead of its own: clients that bootstrap through a proxy
         * listening there (a network delay, a fault injector) are sent back through the proxy for every later
         * request. The proxy forwards to {@link KafkaBroker#proxiedListenerPort()}. The PLAINTEXT listener and the
         * harness's helpers stay direct, and the broker starts without the proxy.
         *
         * @return this builder
         */
        public Builder proxiedListener() {
            this.proxied = true;
            return this;
        }

        /**
         * Puts the broker's fresh data directory in {@code parent} instead of the system's temp directory, e.g. in a
         * RAM-backed file system so that the disk's write-back does not weigh on what a benchmark times.
         *
         * @param parent an existing, writable directory
         * @return this builder
         * @throws NullPointerException when {@code parent} is null
         */
        public Builder dataDirParent(Path parent) {
            this.dataDirParent = Objects.requireNonNull(parent, "dataDirParent must not be null");
            return this;
        }

        /**
         * Sets one {@code server.properties} entry; it overrides the default of the same key.
         *
         * @param key the broker setting, e.g. {@code log.flush.interval.messages}
         * @param value its value
         * @return this builder
         * @throws NullPointerException when the key or value is null
         */
        public Builder serverProperty(String key, String value) {
            serverProperties.put(Objects.requireNonNull(key, "serverProperty key must not be null"),
                    Objects.requireNonNull(value, () -> "serverProperty '" + key
                            + "' value must not be null"));
            return this;
        }

        /**
         * Adds a user of the SASL_PLAINTEXT listener (mechanism PLAIN). The first user makes the broker open that
         * listener on one more free port; without users it has none.
         *
         * @param username letters, digits, {@code _} and {@code -}
         * @param password not empty, without {@code "}, {@code \} or control characters
         * @return this builder
         * @throws IllegalArgumentException when the username is taken or either breaks its rule (the message never
         *     contains the password)
         * @throws NullPointerException when either is null
         */
        public Builder saslPlainUser(String username, String password) {
            SaslPlain.check(username, password);
            if (saslPlainUsers.putIfAbsent(username, password) != null) {
                throw new IllegalArgumentException("saslPlainUser '" + username + "' is already defined");
            }
            return this;
        }

        /**
         * Starts the broker and waits until it answers on every listener.
         *
         * @return the running broker; close it to stop it and delete its data
         * @throws IllegalStateException when the broker does not start within 60 s (the message carries its log
         *     tail)
         */
        public KafkaBroker start() {
            return KafkaBroker.start(dataDirParent, serverProperties, saslPlainUsers, proxied);
        }
    }
}
