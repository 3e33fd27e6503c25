package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrokerDataDirTest {

    private static final Path SHM = Path.of("/dev/shm");

    @Test
    void aRamBackedDirectoryWithRoomIsChosen() {
        BrokerDataDir chosen = BrokerDataDir.choose(SHM, 10L << 30);

        assertThat(chosen.parent()).isEqualTo(SHM);
        assertThat(chosen.description())
                .isEqualTo("broker data in /dev/shm (RAM-backed, 10.0 GiB free): no disk write-back during the runs");
    }

    @Test
    void aSmallRamBackedDirectoryFallsBackToTheTempDirectoryAndSaysWhy() {
        BrokerDataDir chosen = BrokerDataDir.choose(SHM, 64L << 20);

        assertThat(chosen.parent()).isNull();
        assertThat(chosen.description()).contains(System.getProperty("java.io.tmpdir"),
                "/dev/shm has 0.1 GiB free, less than 4 GiB", "write-back");
    }

    @Test
    void aMissingRamBackedDirectoryFallsBackToTheTempDirectory() {
        BrokerDataDir chosen = BrokerDataDir.choose(SHM, -1);

        assertThat(chosen.parent()).isNull();
        assertThat(chosen.description()).contains("/dev/shm is not a writable directory");
    }
}
