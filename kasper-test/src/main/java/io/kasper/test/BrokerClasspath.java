package io.kasper.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the classpath of the Kafka broker that the harness forks.
 *
 * <p>The system property {@value #CLASSPATH_PROPERTY} wins when set. Otherwise the classpath recorded by the
 * {@code kasper-broker} module at build time is used, with {@code $M2} replaced by the local Maven repository
 * (system property {@value #M2_PROPERTY}, else {@code ~/.m2/repository}). Thread-safe (stateless).
 */
final class BrokerClasspath {

    static final String CLASSPATH_PROPERTY = "kasper.broker.classpath";
    static final String M2_PROPERTY = "kasper.m2.repo";
    private static final String RESOURCE = "/io/kasper/broker/broker.classpath";

    private BrokerClasspath() {
    }

    /**
     * Returns the broker classpath, every entry checked to exist.
     *
     * @throws IllegalStateException when the classpath cannot be found or names a missing jar
     */
    static String resolve() {
        String explicit = System.getProperty(CLASSPATH_PROPERTY);
        String classpath = explicit != null && !explicit.isBlank() ? explicit : fromResource();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                throw new IllegalStateException("broker classpath entry " + entry + " does not exist; build the "
                        + "kasper-broker module (mvn install) or set -D" + CLASSPATH_PROPERTY);
            }
        }
        return classpath;
    }

    private static String fromResource() {
        try (InputStream in = BrokerClasspath.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " not found: add io.kasper:kasper-broker to "
                        + "the test classpath or set -D" + CLASSPATH_PROPERTY);
            }
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return raw.replace("$M2", localRepository());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static String localRepository() {
        String configured = System.getProperty(M2_PROPERTY);
        if (configured != null && !configured.isBlank() && !configured.contains("${")) {
            return configured;
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository").toString();
    }
}
