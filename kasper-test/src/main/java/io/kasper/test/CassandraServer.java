package io.kasper.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Cassandra 5.0 for tests, forked as its own JVM ({@code CassandraDaemon} of
 * {@code org.apache.cassandra:cassandra-all}, whose classpath the {@code kasper-cassandra-server} module records), on
 * free loopback ports, with its data and logs in a fresh temporary directory that {@link #close()} deletes.
 *
 * <p>The JVM gets a 256 MB heap and the {@code --add-opens}/{@code --add-exports} flags Cassandra needs on JDK 17; its
 * logback log goes to {@code system.log} and its console to {@link #logFile()}. {@link #start()} returns once the CQL
 * port accepts connections (the native transport starts last). The system property {@value #CLASSPATH_PROPERTY}
 * overrides the classpath. Data is throwaway: {@link #close()} kills the JVM with SIGKILL.
 *
 * <p>Thread-safety: all methods are safe to call from any thread; lifecycle methods are serialized.
 */
public final class CassandraServer extends ForkedServer {

    /** System property overriding the node's classpath. */
    public static final String CLASSPATH_PROPERTY = "kasper.cassandra.classpath";

    private static final Logger LOG = LoggerFactory.getLogger(CassandraServer.class);
    private static final String RESOURCE = "/io/kasper/cassandra/server/cassandra.classpath";
    private static final String TEMPLATES = "/io/kasper/test/cassandra/";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final int cqlPort = FreePorts.next();
    private final int storagePort = FreePorts.next();
    private final int sslStoragePort = FreePorts.next();

    private CassandraServer(Path workDir) {
        super(workDir, "cassandra.out", false, "kasper-cassandra-reaper");
    }

    /**
     * Starts a node and waits until its CQL port accepts connections.
     *
     * @return the running node; close it to kill it and delete its directory
     * @throws IllegalStateException when the node does not become ready within 90 s (the message carries its log
     *         tail), or its classpath cannot be resolved
     */
    public static CassandraServer start() {
        CassandraServer server = new CassandraServer(ServerLaunch.tempDir("kasper-cassandra-", "Cassandra"));
        server.startGuarded(server::startProcess);
        return server;
    }

    /**
     * Returns the host of the CQL port: {@code 127.0.0.1}.
     *
     * @return the host of the CQL port: {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * Returns the CQL (native transport) port.
     *
     * @return the CQL (native transport) port
     */
    public int port() {
        return cqlPort;
    }

    /**
     * Returns {@code 127.0.0.1:PORT}, a contact point for drivers.
     *
     * @return {@code 127.0.0.1:PORT}, a contact point for drivers
     */
    public String contactPoint() {
        return host() + ":" + cqlPort;
    }

    /**
     * Returns the local datacenter of the node: {@code datacenter1}.
     *
     * @return the local datacenter of the node: {@code datacenter1}
     */
    public String localDatacenter() {
        return "datacenter1";
    }

    private synchronized void startProcess() {
        long started = System.nanoTime();
        String classpath = ServerClasspath.resolve(RESOURCE, CLASSPATH_PROPERTY, "kasper-cassandra-server");
        Path yaml = workDir().resolve("cassandra.yaml");
        Path logback = workDir().resolve("logback.xml");
        Path args = workDir().resolve("jvm17.args");
        try {
            Files.writeString(yaml, fill(template("cassandra.yaml.template")));
            Files.writeString(logback, fill(template("logback.xml.template")));
            Files.writeString(args, template("jvm17.args"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Cassandra's config to " + workDir(), e);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx256m", "@" + args,
                "-Dcassandra.config=" + yaml.toUri(), "-Dcassandra.storagedir=" + workDir(),
                "-Dlogback.configurationFile=" + logback, "-Dcassandra.logdir=" + workDir(),
                "-Dcassandra-foreground=yes", "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=100", "-Dcassandra.superuser_setup_delay_ms=0",
                "-Dcassandra.jmx.local.port=" + FreePorts.next(),
                "-cp", classpath, "org.apache.cassandra.service.CassandraDaemon"));
        launch(command, "Cassandra");
        awaitCqlPort();
        LOG.info("Cassandra ready on {} in {} ms (dir {})", contactPoint(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), workDir());
    }

    private void awaitCqlPort() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ensureStarting("Cassandra");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host(), cqlPort), 1_000);
                return;
            } catch (IOException notYet) {
                // the native transport is not up yet: poll the port
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("Cassandra's CQL port " + cqlPort + " did not open within "
                + READY_TIMEOUT.toSeconds() + " s: " + BrokerProcess.tail(logFile()));
    }

    private String fill(String template) {
        return template.replace("${DIR}", workDir().toString()).replace("${STORAGE_PORT}", String.valueOf(storagePort))
                .replace("${SSL_STORAGE_PORT}", String.valueOf(sslStoragePort))
                .replace("${CQL_PORT}", String.valueOf(cqlPort));
    }

    private static String template(String name) {
        try (InputStream in = CassandraServer.class.getResourceAsStream(TEMPLATES + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + TEMPLATES + name + " not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TEMPLATES + name, e);
        }
    }
}
