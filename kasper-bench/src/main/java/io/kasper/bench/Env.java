package io.kasper.bench;

import io.kasper.test.KafkaBroker;
import io.kasper.test.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The shared environment of one benchmark run: the broker, Redis, an admin client and fresh names. */
public final class Env implements AutoCloseable {

    /** client.id of the admin client that polls for completion; it names that client's network thread. */
    private static final String ADMIN_CLIENT_ID = "kasper-bench-poller";

    private final Options options;
    /** The broker this environment started, or null when it is attached to one started by another JVM. */
    private final KafkaBroker broker;
    private final BrokerDataDir brokerData;
    /** The Redis server this environment started, or null when attached. */
    private final RedisServer redis;
    /** The proxy that delays the clients' traffic ({@code --network-delay-ms}), or null for a direct connection. */
    private final DelayProxyProcess proxy;
    private final Servers servers;
    private final Admin admin;
    private final AtomicInteger seq;

    /**
     * Where the broker and Redis of a run are: what a forked pipeline JVM needs to attach to them.
     *
     * @param bootstrap the broker's bootstrap servers
     * @param brokerPid the broker's process id
     * @param redisUri the Redis URI
     * @param redisPid the Redis server's process id
     * @param proxyPid the delay proxy's process id, or -1 when the clients connect directly
     */
    public record Servers(String bootstrap, long brokerPid, String redisUri, long redisPid, long proxyPid) {
    }

    /**
     * How long the broker keeps the files of a deleted topic: short, so that what a finished run wrote leaves the
     * disk and the page cache before the next run instead of being written back while it is timed.
     */
    static final String FILE_DELETE_DELAY_MS = "1000";

    /**
     * Starts a forked broker and a Redis server; with a network delay ({@link Options#networkDelay()}), also a
     * {@link DelayProxyProcess} that every client of the bench reaches the broker through.
     */
    public Env(Options options) {
        this.options = options;
        this.brokerData = BrokerDataDir.choose();
        KafkaBroker.Builder brokerBuilder = KafkaBroker.builder()
                .serverProperty("file.delete.delay.ms", FILE_DELETE_DELAY_MS);
        if (brokerData.parent() != null) {
            brokerBuilder.dataDirParent(brokerData.parent());
        }
        boolean delayed = !options.networkDelay().isZero();
        if (delayed) {
            brokerBuilder.proxiedListener();
        }
        this.broker = brokerBuilder.start();
        RedisServer started;
        DelayProxyProcess startedProxy = null;
        try {
            if (delayed) {
                startedProxy = DelayProxyProcess.start(broker.proxyPort(), broker.proxiedListenerPort(),
                        options.networkDelay());
            }
            started = RedisServer.start();
        } catch (RuntimeException e) {
            if (startedProxy != null) {
                startedProxy.close();
            }
            broker.close();
            throw e;
        }
        this.redis = started;
        this.proxy = startedProxy;
        this.servers = new Servers(delayed ? "127.0.0.1:" + proxy.port() : broker.bootstrapServers(), broker.pid(),
                redis.uri(), redis.pid(), delayed ? proxy.pid() : -1);
        this.admin = admin(servers.bootstrap());
        this.seq = new AtomicInteger();
    }

    /**
     * Attaches to a broker and a Redis server that another JVM started and owns; closing it closes only its admin
     * client. Its fresh names start after {@code firstName}, so that they differ from the starting JVM's.
     */
    public Env(Options options, Servers servers, BrokerDataDir brokerData, int firstName) {
        this.options = options;
        this.broker = null;
        this.redis = null;
        this.proxy = null;
        this.brokerData = brokerData;
        this.servers = servers;
        this.admin = admin(servers.bootstrap());
        this.seq = new AtomicInteger(firstName);
    }

    private Env(Env shared, Options options) {
        this.options = options;
        this.broker = shared.broker;
        this.brokerData = shared.brokerData;
        this.redis = shared.redis;
        this.proxy = shared.proxy;
        this.servers = shared.servers;
        this.admin = shared.admin;
        this.seq = shared.seq;
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, ADMIN_CLIENT_ID));
    }

    /** Returns where the broker and Redis are, for a forked JVM to attach to them. */
    public Servers servers() {
        return servers;
    }

    /**
     * Reserves {@code count} fresh names for another JVM attached to this environment and returns the number after
     * which its names start.
     */
    public int reserveNames(int count) {
        return seq.getAndAdd(count);
    }

    /** Returns a view of this environment with other flags (same broker, Redis and names); do not close it. */
    public Env with(Options other) {
        return new Env(this, other);
    }

    /** Returns where the broker keeps its logs, and why. */
    public BrokerDataDir brokerData() {
        return brokerData;
    }

    /** Returns the flags. */
    public Options options() {
        return options;
    }

    /** Returns the broker's bootstrap servers. */
    public String bootstrap() {
        return servers.bootstrap();
    }

    /** Returns the Redis URI. */
    public String redisUri() {
        return servers.redisUri();
    }

    /**
     * Deletes every key in Redis. A run's aggregates are read back before it; without it the keys of every run so far
     * (about 50,000 words each) would pile up, and Redis would grow its key table now and then in the middle of some
     * later pipeline's run, at that run's cost.
     */
    public void clearRedis() {
        if (redis != null) {
            redis.command("FLUSHALL");
        } else {
            flushAll(servers.redisUri());
        }
    }

    /** Returns the process id of the broker JVM, taken when it started (or passed by the JVM that started it). */
    public long brokerPid() {
        return servers.brokerPid();
    }

    /** Returns the process id of the delay proxy's JVM, or -1 when the clients connect directly. */
    public long proxyPid() {
        return servers.proxyPid();
    }

    /** Returns the process id of the Redis server, taken when it started (or passed by the JVM that started it). */
    public long redisPid() {
        return servers.redisPid();
    }

    /** Returns the CPU time, in ns, used so far by the network thread of the admin client that polls for completion. */
    public long adminThreadCpuNanos() {
        long cpu = 0;
        for (Thread t : adminThreads()) {
            cpu += ProcessCpu.ofThread(t.getId());
        }
        return cpu;
    }

    /** Returns the live network thread(s) of the admin client that polls for completion. */
    public Set<Thread> adminThreads() {
        Set<Thread> admin = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().endsWith("| " + ADMIN_CLIENT_ID)) {
                admin.add(t);
            }
        }
        return admin;
    }

    /** Returns a name unique in this run: {@code prefix-<n>}. */
    public String fresh(String prefix) {
        return prefix + "-" + seq.incrementAndGet();
    }

    /** Creates a topic with the configured partition count and waits until it is ready. */
    public String createTopic(String name) {
        if (broker != null) {
            broker.createTopic(name, options.partitions());
        } else {
            KafkaBroker.createTopic(servers.bootstrap(), name, options.partitions());
        }
        return name;
    }

    /**
     * Returns the producer properties of the ceiling, the hand-rolled loops and the latency input: acks=all,
     * idempotent, and the batching Kasper's own producer uses (linger.ms 5, batch.size 256 KiB), so that the
     * comparison is about the loops, not producer tuning.
     */
    public Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Returns consumer properties for a group (no auto commit, from the earliest offset, 10,000 records a poll). */
    public Properties consumerProps(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return p;
    }

    /**
     * Deletes a topic a finished run no longer needs, and the topics named after it (a pipeline's internal topics
     * are named after its name), so that the broker does not carry the logs of every earlier run: the rounds of
     * a long bench then run on the same broker state.
     */
    public void deleteTopics(String prefix) {
        try {
            Set<String> doomed = new HashSet<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (topic.equals(prefix) || topic.startsWith(prefix + "-")) {
                    doomed.add(topic);
                }
            }
            if (!doomed.isEmpty()) {
                admin.deleteTopics(doomed).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete the topics of " + prefix, e);
        }
    }

    /** Returns the sum of the end offsets of a topic's partitions: the records it holds. */
    public long endOffsetSum(String topic) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < options.partitions(); p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the end offsets of " + topic, e);
        }
    }

    /** Returns the sum of a group's committed offsets on a topic. */
    public long committedSum(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return committed.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list the committed offsets of " + group, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a group has committed {@code inputRecords} on the input topic and, when {@code outputTopic} is not
     * null, the output topic holds at least {@code inputRecords}; polls every 20 ms. Returns the time of completion.
     *
     * @param failed checked at each poll: a pipeline that died makes the wait fail at once
     */
    public long awaitDone(String group, String input, long inputRecords, String outputTopic, BooleanSupplier failed,
            Duration timeout) {
        return awaitCompletion(group, input, inputRecords, outputTopic, failed, timeout).committed();
    }

    /**
     * Like {@link #awaitDone}, and also returns when the output first held {@code inputRecords} (-1 when no output
     * topic is watched). Each poll is one listOffsets of the output (until it is complete) and one
     * listConsumerGroupOffsets: two small requests every 20 ms, whose CPU the bench leaves out or reports apart.
     */
    public Completion awaitCompletion(String group, String input, long inputRecords, String outputTopic,
            BooleanSupplier failed, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long outputAt = -1;
        while (System.nanoTime() < deadline) {
            if (failed.getAsBoolean()) {
                throw new IllegalStateException("pipeline of group " + group + " failed");
            }
            if (outputTopic != null && outputAt < 0 && endOffsetSum(outputTopic) >= inputRecords) {
                outputAt = System.nanoTime();
            }
            if ((outputTopic == null || outputAt >= 0) && committedSum(group, input) >= inputRecords) {
                return new Completion(outputAt, System.nanoTime());
            }
            sleep(20);
        }
        throw new IllegalStateException("group " + group + " did not finish within " + timeout + ": committed "
                + committedSum(group, input) + " of " + inputRecords);
    }

    /**
     * When a run was seen complete ({@link System#nanoTime()}).
     *
     * @param output when the output first held every record, -1 when not watched
     * @param committed when the input was also fully committed: the end of the run
     */
    public record Completion(long output, long committed) {
    }

    /** Sleeps, turning an interrupt into an unchecked failure. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Deletes every key of a Redis server that another JVM started. */
    private static void flushAll(String uri) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        if (proxy != null) {
            proxy.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
