package io.joinery.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link Telemetry#pool}: the series of one source's connection pool. */
final class Pool implements PoolObserver {
    final AtomicInteger maxSize = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final Timer waits;

    Pool(String source, MeterRegistry registry) {
        Gauge.builder("joinery.pool.connections.in.use", inUse, AtomicInteger::get)
            .description("Connections of a source's pool lent to statements now").tag("source", source).register(registry);
        Gauge.builder("joinery.pool.connections.max", maxSize, AtomicInteger::get)
            .description("The size of a source's pool").tag("source", source).register(registry);
        Gauge.builder("joinery.pool.waiting", waiting, AtomicInteger::get)
            .description("Statements waiting for a connection of a source's pool now").tag("source", source).register(registry);
        waits = Timer.builder("joinery.pool.wait")
            .description("Time statements waited for a connection of a source's pool")
            .tag("source", source)
            .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
            .register(registry);
    }

    @Override
    public void enqueued() {
        waiting.incrementAndGet();
    }

    @Override
    public void dequeued(long nanos) {
        waiting.decrementAndGet();
        waits.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void acquired() {
        inUse.incrementAndGet();
    }

    @Override
    public void released() {
        inUse.decrementAndGet();
    }
}
