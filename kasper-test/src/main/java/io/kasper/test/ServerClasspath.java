package io.kasper.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves the classpath of a server that the harness forks in its own JVM (Kafka broker, OpenSearch).
 *
 * <p>A system property wins when set. Otherwise the classpath recorded as a resource by a helper module at build time
 * ({@code kasper-broker}, {@code kasper-opensearch-server}) is used, with {@code $M2} replaced by the local Maven
 * repository (system property {@value #M2_PROPERTY}, else {@code ~/.m2/repository}). Thread-safe (stateless).
 */
final class ServerClasspath {

    static final String M2_PROPERTY = "kasper.m2.repo";

    private ServerClasspath() {
    }

    /**
     * Returns a server's classpath, every entry checked to exist.
     *
     * @param resource the classpath resource written by the helper module
     * @param property the system property that overrides it
     * @param module the helper module, for messages
     * @throws IllegalStateException when the classpath cannot be found or names a missing jar
     */
    static String resolve(String resource, String property, String module) {
        String explicit = System.getProperty(property);
        String classpath = explicit != null && !explicit.isBlank() ? explicit
                : fromResource(resource, property, module);
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank() && !Files.exists(Path.of(entry))) {
                throw new IllegalStateException("classpath entry " + entry + " does not exist; build the " + module
                        + " module or set -D" + property);
            }
        }
        return classpath;
    }

    private static String fromResource(String resource, String property, String module) {
        try (InputStream in = ServerClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " not found: add io.kasper:" + module
                        + " to the test classpath or set -D" + property);
            }
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return raw.replace("$M2", localRepository());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
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
