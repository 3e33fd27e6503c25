package io.kasper.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * One forked JVM running a single-node KRaft Kafka server (broker and controller), on fixed loopback ports and a fixed
 * data directory, so that it can be stopped or killed and started again with the same identity and data.
 *
 * <p>Not thread-safe: drive it from one thread (the {@link KafkaBroker} that owns it synchronizes).
 */
final class BrokerProcess {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** Name of the listener clients reach through a proxy. */
    private static final String PROXIED_LISTENER = "PROXIED";

    private final Path workDir;
    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private final int port;
    private final int controllerPort;
    /** Port of the SASL_PLAINTEXT listener, or -1 when the broker has no SASL users. */
    private final int saslPort;
    /** Port of the listener clients reach through a proxy, or -1 when the broker has none. */
    private final int proxiedPort;
    /** The loopback port the proxied listener is advertised at (the proxy's), or -1. */
    private final int proxiedAdvertisedPort;
    private final String classpath;
    private final Map<String, String> extraServerProperties;
    private final Map<String, String> saslPlainUsers;
    private Process process;
    private boolean formatted;
    private boolean paused;

    /**
     * Prepares a broker; nothing runs until {@link #start()}.
     *
     * @param workDir the fresh directory for its configuration, data and logs
     * @param extraServerProperties {@code server.properties} entries that override the defaults
     * @param saslPlainUsers username to password of the SASL/PLAIN users; when not empty, the broker gets a
     *     SASL_PLAINTEXT listener on one more port that accepts exactly these users
     * @param proxied whether the broker gets a PLAINTEXT listener on one more port that it advertises at yet another
     *     free port, where a proxy is to listen and forward to it
     */
    BrokerProcess(Path workDir, Map<String, String> extraServerProperties, Map<String, String> saslPlainUsers,
            boolean proxied) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.configFile = workDir.resolve("server.properties");
        this.logFile = workDir.resolve("broker.log");
        this.port = FreePorts.next();
        this.controllerPort = FreePorts.next();
        this.saslPort = saslPlainUsers.isEmpty() ? -1 : FreePorts.next();
        this.proxiedPort = proxied ? FreePorts.next() : -1;
        this.proxiedAdvertisedPort = proxied ? FreePorts.next() : -1;
        this.classpath = BrokerClasspath.resolve();
        this.extraServerProperties = Map.copyOf(extraServerProperties);
        this.saslPlainUsers = new LinkedHashMap<>(saslPlainUsers);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    boolean hasSaslListener() {
        return saslPort > 0;
    }

    /** Returns {@code host:port} of the SASL_PLAINTEXT listener; call only when {@link #hasSaslListener()}. */
    String saslBootstrapServers() {
        return "127.0.0.1:" + saslPort;
    }

    /** Returns the port of the proxied listener (where the proxy forwards to), or -1 when there is none. */
    int proxiedPort() {
        return proxiedPort;
    }

    /** Returns the port the proxied listener is advertised at (where the proxy listens), or -1 when there is none. */
    int proxyPort() {
        return proxiedAdvertisedPort;
    }

    Path logFile() {
        return logFile;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Returns the process id of the broker JVM, or -1 when it is not running. */
    long pid() {
        return isAlive() ? process.pid() : -1;
    }

    /** Starts the JVM (formatting the data directory the first time) and returns once the broker answers. */
    void start() {
        if (isAlive()) {
            throw new IllegalStateException("broker is already running on " + bootstrapServers());
        }
        try {
            if (!formatted) {
                Files.createDirectories(dataDir);
                writeConfig();
                format();
                formatted = true;
            }
            ProcessBuilder builder = new ProcessBuilder(javaCommand("-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                    "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties").toUri(),
                    "kafka.Kafka", configFile.toString()));
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            process = builder.start();
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka broker in " + workDir, e);
        }
    }

    /** Freezes the broker JVM with SIGSTOP: its connections stay open but nothing answers, as in a long GC pause. */
    void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a frozen broker JVM go on with SIGCONT. */
    void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException("broker on " + bootstrapServers() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " of the broker on " + bootstrapServers()
                        + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal the broker on " + bootstrapServers(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling the broker", e);
        }
    }

    /** Stops the broker with SIGTERM (a controlled shutdown) and waits for the JVM to exit. */
    void stop() {
        if (process == null) {
            return;
        }
        resume(); // a frozen JVM would not act on SIGTERM
        process.destroy();
        if (!waitFor(Duration.ofSeconds(30))) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
        process = null;
    }

    /** Kills the broker with SIGKILL: no shutdown hook runs, nothing is flushed by the broker. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
        process = null;
        paused = false;
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void writeConfig() throws IOException {
        Properties props = new Properties();
        props.setProperty("process.roles", "broker,controller");
        props.setProperty("node.id", "1");
        props.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (hasSaslListener()) {
            addSaslListener(props);
        }
        if (proxiedPort > 0) {
            addListener(props, PROXIED_LISTENER, "PLAINTEXT", proxiedPort, proxiedAdvertisedPort);
        }
        props.setProperty("inter.broker.listener.name", "PLAINTEXT");
        props.setProperty("controller.listener.names", "CONTROLLER");
        props.setProperty("log.dirs", dataDir.toString());
        props.setProperty("offsets.topic.replication.factor", "1");
        props.setProperty("offsets.topic.num.partitions", "12");
        props.setProperty("transaction.state.log.replication.factor", "1");
        props.setProperty("transaction.state.log.min.isr", "1");
        // the default 50 partitions make a test's first transactional producer wait seconds for the log to be created
        props.setProperty("transaction.state.log.num.partitions", "4");
        props.setProperty("share.coordinator.state.topic.replication.factor", "1");
        props.setProperty("share.coordinator.state.topic.min.isr", "1");
        props.setProperty("min.insync.replicas", "1");
        props.setProperty("group.initial.rebalance.delay.ms", "0");
        // Groups of the consumer protocol (KIP-848) take their session timeout and heartbeat interval from the broker:
        // 6 s and 1 s, the values the classic members of the tests set themselves, so a killed member is noticed as
        // soon under both protocols and an assignment reaches a member within a second.
        props.setProperty("group.consumer.min.session.timeout.ms", "6000");
        props.setProperty("group.consumer.session.timeout.ms", "6000");
        props.setProperty("group.consumer.min.heartbeat.interval.ms", "500");
        props.setProperty("group.consumer.heartbeat.interval.ms", "1000");
        props.setProperty("auto.create.topics.enable", "false");
        props.setProperty("num.network.threads", "2");
        props.setProperty("num.io.threads", "4");
        props.putAll(extraServerProperties);
        try (var out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            props.store(out, "written by io.kasper.test.KafkaBroker");
        }
        String log4j = String.join("\n",
                "appender.file.type = File",
                "appender.file.name = FILE",
                "appender.file.fileName = " + workDir.resolve("server.log"),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = FILE",
                "logger.kafka.name = kafka",
                "logger.kafka.level = INFO",
                "logger.state.name = state.change.logger",
                "logger.state.level = WARN",
                "");
        Files.writeString(workDir.resolve("log4j2.properties"), log4j);
    }

    /**
     * Adds a SASL_PLAINTEXT listener that accepts the PLAIN mechanism only, with the users in its own JAAS entry.
     * The brokers talk to each other and to the controller over PLAINTEXT, so the broker needs no credentials itself.
     */
    private void addSaslListener(Properties props) {
        String listener = SaslPlain.LISTENER;
        addListener(props, listener, "SASL_PLAINTEXT", saslPort, saslPort);
        String prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
        props.setProperty(prefix + "sasl.enabled.mechanisms", SaslPlain.MECHANISM);
        props.setProperty(prefix + "plain.sasl.jaas.config", SaslPlain.serverJaasConfig(saslPlainUsers));
    }

    /** Adds a listener on {@code listenPort} that the broker's metadata names at {@code advertisedPort}. */
    private static void addListener(Properties props, String name, String protocol, int listenPort,
            int advertisedPort) {
        props.setProperty("listeners", props.getProperty("listeners") + "," + name + "://127.0.0.1:" + listenPort);
        props.setProperty("advertised.listeners",
                props.getProperty("advertised.listeners") + "," + name + "://127.0.0.1:" + advertisedPort);
        props.setProperty("listener.security.protocol.map",
                props.getProperty("listener.security.protocol.map") + "," + name + ":" + protocol);
    }

    private void format() throws IOException {
        List<String> command = javaCommand("-Xmx256m",
                "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties").toUri(),
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString());
        Process formatter = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            if (!formatter.waitFor(60, TimeUnit.SECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("formatting " + dataDir + " did not finish within 60 s; see " + logFile);
            }
        } catch (InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting " + dataDir, e);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("formatting " + dataDir + " failed with exit code "
                    + formatter.exitValue() + ": " + tail(logFile));
        }
    }

    private List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classpath);
        command.addAll(List.of(args));
        return command;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        awaitListening(port, deadline);
        if (hasSaslListener()) {
            awaitListening(saslPort, deadline);
        }
        Properties props = new Properties();
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("broker exited with code " + process.exitValue()
                            + " while starting: " + tail(logFile));
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                } catch (Exception notYet) {
                    // the broker is still starting: retry until the deadline
                }
            }
        }
        kill();
        throw new IllegalStateException("broker on " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT.toSeconds() + " s: " + tail(logFile));
    }

    /**
     * Waits until the listener accepts connections, so that the admin client does not log a warning for every
     * refused connection while the JVM boots.
     */
    private void awaitListening(int listenerPort, long deadline) {
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", listenerPort), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50); // polling a port: there is no event to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
            }
        }
    }

    static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(no log at " + file + ")";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
