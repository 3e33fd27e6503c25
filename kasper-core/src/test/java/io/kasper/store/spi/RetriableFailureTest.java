package io.kasper.store.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.THROWABLE;

import io.kasper.store.MultiStore;
import io.kasper.store.Store;
import io.kasper.store.StoreException;
import io.kasper.store.TenantKey;
import io.kasper.store.TenantMap;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The adapter's transient-failure rule decides whether the StoreException wrapping a backend failure is retriable. */
class RetriableFailureTest {

    /** The rule of a made-up backend: timeouts are transient, anywhere in the chain. */
    private static final Predicate<Throwable> TIMEOUTS = failure -> failure instanceof TimeoutException;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void storeWithoutARuleMarksNoFailureRetriable() {
        try (Store store = new ThrowingStore(registry, new UncheckedIOException(new IOException("reset")))) {
            assertThat(failureOf(() -> store.get("k")).isRetriable()).isFalse();
        }
    }

    @Test
    void failureTheRuleCallsTransientIsRetriableAndKeepsMessageAndCause() {
        IllegalStateException timeout = new IllegalStateException("no reply", new TimeoutException("after 5 s"));
        try (Store store = new ThrowingStore(registry, timeout, TIMEOUTS)) {
            StoreException failure = failureOf(() -> store.putAll(Map.of("a", new byte[] {1})));

            assertThat(failure.isRetriable()).isTrue();
            assertThat(failure).hasMessage("store 'counts' (flaky) putAll of 1 key failed: "
                    + "IllegalStateException: no reply").hasCause(timeout);
        }
    }

    @Test
    void failureTheRuleDoesNotCallTransientIsNotRetriable() {
        try (Store store = new ThrowingStore(registry, new IllegalArgumentException("WRONGTYPE"), TIMEOUTS)) {
            assertThat(failureOf(() -> store.getAll(List.of("a", "b"))).isRetriable()).isFalse();
        }
    }

    @Test
    void subclassStoreExceptionDecidesWhateverItWrapsOrTheRuleSays() {
        StoreException undecodable = new StoreException("not JSON", new TimeoutException("would be transient"));
        try (Store store = new ThrowingStore(registry, new IllegalStateException("wrapped", undecodable), TIMEOUTS)) {
            assertThat(failureOf(() -> store.get("k")).isRetriable()).as("non-retriable store exception").isFalse();
        }
        StoreException busy = new StoreException("HTTP 503", null, true);
        try (Store store = new ThrowingStore(registry, busy)) {
            StoreException failure = failureOf(() -> store.get("k"));
            assertThat(failure.isRetriable()).as("retriable store exception, store without a rule").isTrue();
            assertThat(failure).hasMessage("store 'counts' (flaky) get of 1 key failed: HTTP 503");
        }
    }

    @Test
    void ruleThatThrowsLeavesTheBackendFailureReportedAndNotRetriable() {
        IllegalStateException backend = new IllegalStateException("boom");
        Predicate<Throwable> broken = failure -> {
            throw new UnsupportedOperationException("rule bug");
        };
        try (Store store = new ThrowingStore(registry, backend, broken)) {
            StoreException failure = failureOf(() -> store.get("k"));

            assertThat(failure.isRetriable()).isFalse();
            assertThat(failure).hasCause(backend);
            assertThat(backend.getSuppressed()).singleElement().asInstanceOf(THROWABLE)
                    .isInstanceOf(UnsupportedOperationException.class).hasMessage("rule bug");
        }
    }

    @Test
    void closeFailureIsNeverRetriable() {
        ThrowingStore store = new ThrowingStore(registry, new IllegalStateException(new TimeoutException()), TIMEOUTS);
        store.closeFails = true;

        StoreException failure = failureOf(store::close);

        assertThat(failure).hasMessageStartingWith("store 'counts' (flaky) close failed: ");
        assertThat(failure.isRetriable()).as("transient by the rule, but the store is closed").isFalse();
    }

    @Test
    void multiStoreAndItsTenantViewsUseTheMultiStoresRule() {
        IllegalStateException timeout = new IllegalStateException(new TimeoutException());
        try (MultiStore store = new ThrowingMultiStore(registry, timeout, TIMEOUTS)) {
            assertThat(failureOf(() -> store.fetch(List.of(new TenantKey("t", "k")))).isRetriable()).isTrue();
            assertThat(failureOf(() -> store.push(new TenantMap().put("t", "k", new byte[0]))).isRetriable())
                    .isTrue();
            StoreException viaTenant = failureOf(() -> store.tenant("acme").putAll(Map.of("k", new byte[0])));
            assertThat(viaTenant.isRetriable()).isTrue();
            assertThat(viaTenant).hasMessageStartingWith("store 'sessions' (flaky) tenant 'acme' putAll of 1 key");
        }
        try (MultiStore store = new ThrowingMultiStore(registry, new IllegalStateException("bad"), TIMEOUTS)) {
            assertThat(failureOf(() -> store.tenant("acme").get("k")).isRetriable()).isFalse();
        }
    }

    private static StoreException failureOf(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(StoreException.class);
        return (StoreException) thrown;
    }

    /** A store whose every backend call throws the same failure, and close too when asked to. */
    private static final class ThrowingStore extends MeteredStore {

        private final RuntimeException failure;
        private boolean closeFails;

        ThrowingStore(MeterRegistry registry, RuntimeException failure) {
            super("flaky", "counts", registry, "orders");
            this.failure = failure;
        }

        ThrowingStore(MeterRegistry registry, RuntimeException failure, Predicate<Throwable> transientFailure) {
            super("flaky", "counts", registry, "orders", transientFailure);
            this.failure = failure;
        }

        @Override
        protected byte[] doGet(String key) {
            throw failure;
        }

        @Override
        protected Map<String, byte[]> doGetAll(List<String> keys) {
            throw failure;
        }

        @Override
        protected void doPut(String key, byte[] value) {
            throw failure;
        }

        @Override
        protected void doPutAll(Map<String, byte[]> entries) {
            throw failure;
        }

        @Override
        protected void doDelete(String key) {
            throw failure;
        }

        @Override
        protected void doFlush() {
            throw failure;
        }

        @Override
        protected void doClose() {
            if (closeFails) {
                throw failure;
            }
        }
    }

    /** A multi-store whose every backend call throws the same failure. */
    private static final class ThrowingMultiStore extends MeteredMultiStore {

        private final RuntimeException failure;

        ThrowingMultiStore(MeterRegistry registry, RuntimeException failure, Predicate<Throwable> transientFailure) {
            super("flaky", "sessions", registry, "orders", transientFailure);
            this.failure = failure;
        }

        @Override
        protected TenantMap doFetch(List<TenantKey> keys) {
            throw failure;
        }

        @Override
        protected void doPush(TenantMap entries) {
            throw failure;
        }

        @Override
        protected void doDelete(TenantKey key) {
            throw failure;
        }

        @Override
        protected Set<String> doAllTenants() {
            throw failure;
        }

        @Override
        protected void doFlush() {
            throw failure;
        }

        @Override
        protected void doClose() {
        }
    }
}
