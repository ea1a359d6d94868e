package io.joinery.proxy.execute;

import io.joinery.telemetry.PoolObserver;
import io.joinery.telemetry.Telemetry;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's metrics SPI, for its SQL connection pools only: each pool of a source (named after it,
 * see {@link Database}) reports leases and returns to {@link Telemetry#pool}, so {@code /metrics}
 * shows per source the connections in use; the statements waiting and how long they waited are
 * {@link Database}'s to report, as it is there that they wait (Note [Connections handed out here]). Give it to the {@code Vertx} that runs the pools:
 * {@code Vertx.builder().with(PoolMetering.options()).withMetrics(new PoolMetering(telemetry)).build()}.
 * Everything else Vert.x could measure is left unmeasured (the SPI's defaults).
 */
public final class PoolMetering implements VertxMetricsFactory, VertxMetrics {

    /** Vert.x calls the SPI only with metrics enabled in its options. */
    public static VertxOptions options() {
        VertxOptions options = new VertxOptions();
        options.getMetricsOptions().setEnabled(true);
        return options;
    }

    /** Pools Vert.x names itself when not given a name (the metadata store's); left out of the metrics. */
    private static final String UNNAMED = "__vertx";

    private final Telemetry telemetry;

    public PoolMetering(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public VertxMetrics metrics(VertxOptions options) {
        return this;
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String poolType, String poolName, int maxPoolSize) {
        if (!"sql".equals(poolType) || poolName == null || poolName.startsWith(UNNAMED)) {
            return null;
        }
        return new Source(telemetry.pool(poolName, maxPoolSize));
    }

    /** One pool's events, as telemetry counts them. */
    private record Source(PoolObserver observer) implements PoolMetrics<Long, Boolean> {

        @Override
        public Long enqueue() {
            return null;
        }

        @Override
        public void dequeue(Long since) {
        }

        @Override
        public Boolean begin() {
            observer.acquired();
            return Boolean.TRUE;
        }

        @Override
        public void end(Boolean lent) {
            observer.released();
        }
    }
}
