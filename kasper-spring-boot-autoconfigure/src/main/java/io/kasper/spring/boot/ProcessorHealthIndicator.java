package io.kasper.spring.boot;

import io.kasper.ProcessorState;
import io.kasper.TopicProcessor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one processor: DOWN once it failed (with the failure), UP otherwise, with its state and readiness as
 * details (not ready while starting, rebalancing, riding out a broker outage or closing).
 *
 * <p>Thread-safety: stateless, reads the processor's thread-safe accessors.
 */
final class ProcessorHealthIndicator implements HealthIndicator {

    private final KasperProcessorLifecycle lifecycle;

    ProcessorHealthIndicator(KasperProcessorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public Health health() {
        TopicProcessor p = lifecycle.topicProcessor().orElse(null);
        if (p == null) {
            return Health.unknown().withDetail("state", ProcessorState.CREATED).withDetail("ready", false).build();
        }
        ProcessorState state = p.state();
        Health.Builder health = state == ProcessorState.FAILED ? Health.down() : Health.up();
        health.withDetail("processor", p.config().topicProcessorName())
                .withDetail("state", state)
                .withDetail("ready", p.isReady());
        p.failure().ifPresent(f -> health.withDetail("failure", f.getClass().getName() + ": " + f.getMessage()));
        return health.build();
    }
}
