package io.kasper.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Unit tests of {@link Zipf}. */
class ZipfTest {

    private static int[] draw(Zipf zipf, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = zipf.next();
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        assertThat(draw(new Zipf(50_000, 1.0, 42), 10_000)).isEqualTo(draw(new Zipf(50_000, 1.0, 42), 10_000));
    }

    @Test
    void anotherSeedGivesAnotherSequence() {
        assertThat(draw(new Zipf(50_000, 1.0, 42), 1_000)).isNotEqualTo(draw(new Zipf(50_000, 1.0, 43), 1_000));
    }

    @Test
    void ranksStayInRangeAndFollowZipfFrequencies() {
        int n = 1_000;
        int[] counts = new int[n];
        for (int rank : draw(new Zipf(n, 1.0, 7), 200_000)) {
            assertThat(rank).isBetween(0, n - 1);
            counts[rank]++;
        }
        // With s = 1, rank 0 is about twice as frequent as rank 1 and ten times as frequent as rank 9.
        assertThat((double) counts[0] / counts[1]).isBetween(1.8, 2.2);
        assertThat((double) counts[0] / counts[9]).isBetween(8.5, 11.5);
        double h = 0;
        for (int k = 1; k <= n; k++) {
            h += 1.0 / k;
        }
        assertThat(counts[0] / 200_000.0).isCloseTo(1 / h, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void exponentZeroIsUniformAndBadArgumentsAreRejected() {
        int[] counts = new int[4];
        for (int rank : draw(new Zipf(4, 0.0, 1), 40_000)) {
            counts[rank]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_000, 11_000);
        }
        assertThatThrownBy(() -> new Zipf(0, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Zipf(10, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
