package io.kasper.spring.example;

import io.kasper.spring.boot.KasperProcessorLifecycle;
import io.kasper.store.Codec;
import io.kasper.store.Store;
import io.kasper.store.TypedStore;
import io.kasper.test.KafkaBroker;
import io.kasper.test.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One run of the example: servers (embedded unless given), sample lines, the application, the check.
 *
 * <p>Thread-safety: one run at a time, on the calling thread.
 */
final class WordCountRun {

    static final String INPUT = "lines";
    private static final String[] VOCABULARY = ("kafka kasper batch stream spring boot redis count word partition "
            + "offset commit topic record store health metric lifecycle broker consumer").split(" ");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private WordCountRun() {
    }

    /**
     * Runs the example.
     *
     * @param args Spring Boot arguments, plus {@code --lines=N} and {@code --keep-running}
     * @return the exit code: 0 when every count matches, 1 otherwise
     */
    static int run(String[] args) {
        String servers = option(args, "spring.kafka.bootstrap-servers");
        String redisUri = option(args, "kasper.stores.word-counts.redis.uri");
        int lineCount = Integer.parseInt(option(args, "lines") != null ? option(args, "lines") : "20000");
        boolean keepRunning = Arrays.asList(args).contains("--keep-running");
        KafkaBroker broker = servers == null ? KafkaBroker.start() : null;
        RedisServer redis = redisUri == null ? RedisServer.start() : null;
        try {
            List<String> appArgs = new ArrayList<>(Arrays.asList(args));
            appArgs.removeIf(a -> a.startsWith("--lines=") || a.equals("--keep-running"));
            if (broker != null) {
                servers = broker.bootstrapServers();
                appArgs.add("--spring.kafka.bootstrap-servers=" + servers);
            }
            if (redis != null) {
                appArgs.add("--kasper.stores.word-counts.redis.uri=" + redis.uri());
            }
            createTopic(servers);
            List<String> lines = sampleLines(lineCount);
            produce(servers, lines);
            System.out.printf("produced %,d lines to topic '%s' at %s%n", lines.size(), INPUT, servers);

            try (ConfigurableApplicationContext context = SpringApplication.run(WordCountApplication.class,
                    appArgs.toArray(String[]::new))) {
                int exit = check(context, lines);
                if (keepRunning) {
                    System.out.println("running until Ctrl-C (Actuator: /actuator/health, /actuator/prometheus)");
                    awaitShutdown();
                }
                return exit;
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static int check(ConfigurableApplicationContext context, List<String> lines) {
        Map<String, Long> expected = new HashMap<>();
        lines.forEach(line -> WordCountLogic.words(line).forEach(w -> expected.merge(w, 1L, Long::sum)));
        TypedStore<Long> counts = new TypedStore<>(context.getBean("word-counts", Store.class), Codec.int64());
        KasperProcessorLifecycle processor = context.getBean(KasperProcessorLifecycle.class);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Map<String, Long> actual = Map.of();
        while (System.nanoTime() < deadline) {
            actual = counts.getAll(expected.keySet());
            if (actual.equals(expected) && processor.topicProcessor().orElseThrow().hasConsumedAllMessages()) {
                break;
            }
            pause();
        }
        System.out.println("top words:");
        expected.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(5)
                .forEach(e -> System.out.printf("  %-12s %,d%n", e.getKey(), e.getValue()));
        if (!actual.equals(expected)) {
            System.out.printf("check FAILED: Redis holds %s, a direct count gives %s%n", actual, expected);
            return 1;
        }
        System.out.printf("check OK: all %d words of %,d lines counted in Redis exactly as a direct count%n",
                expected.size(), lines.size());
        return 0;
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling the store: the processor offers no callback when Redis holds the counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the counts", e);
        }
    }

    private static void awaitShutdown() {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> sampleLines(int count) {
        Random random = new Random(42);
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 3 + random.nextInt(8); w++) {
                line.append(w == 0 ? "" : " ").append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
            }
            lines.add(line.append('.').toString());
        }
        return lines;
    }

    private static void createTopic(String servers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(INPUT, 4, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic '" + INPUT + "' at " + servers, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic '" + INPUT + "'", e);
        }
    }

    private static void produce(String servers, List<String> lines) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            lines.forEach(line -> producer.send(new ProducerRecord<>(INPUT, line)));
            producer.flush();
        }
    }

    private static String option(String[] args, String name) {
        String prefix = "--" + name + "=";
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        return null;
    }
}
