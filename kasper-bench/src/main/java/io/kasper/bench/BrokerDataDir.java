package io.kasper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the bench's broker keeps its logs. The broker shares the machine with the pipelines it serves, so the
 * kernel's write-back of what it wrote (every page about 30 s after it was written, by default) takes CPU and I/O in
 * whichever pipeline's run it falls: rounds of the same pipeline varied up to 2x with the logs on disk. A RAM-backed
 * directory has no write-back; the bench uses {@code /dev/shm} when it is one with room to spare.
 *
 * @param parent the directory the broker's data directory is created in, or null for the system's temp directory
 * @param description a line for the report saying where and why
 */
public record BrokerDataDir(Path parent, String description) {

    /** The RAM-backed directory of Linux. */
    static final Path SHM = Path.of("/dev/shm");
    /** Free space {@link #SHM} must have: a full run holds at most about 1.5 GiB of topics at a time. */
    static final long MIN_FREE_BYTES = 4L << 30;

    /** Chooses {@code /dev/shm} when it is a writable directory with {@link #MIN_FREE_BYTES} free. */
    public static BrokerDataDir choose() {
        return choose(SHM, freeBytes(SHM));
    }

    /**
     * Chooses {@code shm} when it has {@code free} bytes (-1: unusable) of at least {@link #MIN_FREE_BYTES}, else the
     * system's temp directory.
     */
    static BrokerDataDir choose(Path shm, long free) {
        double freeGib = free / (double) (1L << 30);
        if (free >= MIN_FREE_BYTES) {
            return new BrokerDataDir(shm, String.format(Locale.ROOT,
                    "broker data in %s (RAM-backed, %.1f GiB free): no disk write-back during the runs", shm, freeGib));
        }
        String why = free < 0 ? shm + " is not a writable directory" : String.format(Locale.ROOT,
                "%s has %.1f GiB free, less than %d GiB", shm, freeGib, MIN_FREE_BYTES >> 30);
        return new BrokerDataDir(null, String.format(Locale.ROOT, "broker data in %s: %s, so the disk's write-back "
                + "of the broker's logs falls into some runs", System.getProperty("java.io.tmpdir"), why));
    }

    private static long freeBytes(Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir) ? Files.getFileStore(dir).getUsableSpace() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
