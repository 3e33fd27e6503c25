package io.kasper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KasperExceptionTest {

    @Test
    void causeChainListsTheFailureAndItsCausesOutermostFirst() {
        IOException root = new IOException("reset");
        IllegalStateException middle = new IllegalStateException("send failed", root);
        KasperException outer = new KasperException("flush failed", middle);

        assertThat(KasperException.causeChain(outer)).containsExactly(outer, middle, root);
    }

    @Test
    void causeChainEndsAtTheFirstCauseMetTwice() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalStateException b = new IllegalStateException("b", a);
        a.initCause(b);

        assertThat(KasperException.causeChain(a)).containsExactly(a, b);
    }

    @Test
    void causeChainStopsAfterSixteenLinks() {
        Throwable failure = new IllegalStateException("innermost");
        for (int i = 0; i < 40; i++) {
            failure = new IllegalStateException("wrapper " + i, failure);
        }

        List<Throwable> chain = KasperException.causeChain(failure);

        assertThat(chain).hasSize(16).first().isSameAs(failure);
        assertThat(chain.get(15).getMessage()).isEqualTo("wrapper 24");
    }

    @Test
    void causeChainOfNullIsEmpty() {
        assertThat(KasperException.causeChain(null)).isEmpty();
    }
}
