package io.kasper.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Finds the {@code redis-server} executable: on the PATH, or the Redis 6.2 binary shipped inside the
 * {@code com.github.codemonstur:embedded-redis} jar, unpacked into a directory the caller owns and deletes.
 *
 * <p>Stateless and thread-safe.
 */
final class RedisBinary {

    private RedisBinary() {
    }

    /** Returns {@code redis-server} from the PATH, or null when there is none. */
    static Path fromPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Unpacks the embedded binary for this OS and CPU into {@code dir}.
     *
     * @return the executable
     * @throws IllegalStateException when the jar has no binary for this platform
     * @throws UncheckedIOException when it cannot be unpacked
     */
    static Path unpackEmbedded(Path dir) {
        String resource = embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"));
        Path target = dir.resolve("redis-server");
        try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource
                        + " not found: is com.github.codemonstur:embedded-redis on the classpath?");
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + resource + " to " + target, e);
        }
        if (!target.toFile().setExecutable(true, true)) {
            throw new IllegalStateException("cannot make " + target + " executable");
        }
        return target;
    }

    /** Names the resource of embedded-redis 1.4.4 holding the binary for a platform. */
    static String embeddedResource(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && x64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && x64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm64) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IllegalStateException("embedded-redis ships no redis-server for os.name=" + osName
                + ", os.arch=" + osArch + "; install redis-server on the PATH");
    }
}
