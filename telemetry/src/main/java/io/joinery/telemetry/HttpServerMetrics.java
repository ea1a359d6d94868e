package io.joinery.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP requests of one listener ({@code graphql} or {@code admin}):
 * {@code joinery.http.server.requests} by method and status, and the requests being served now.
 * Get it from {@link Telemetry#httpServer}; the web server's filter reports each request.
 */
public final class HttpServerMetrics {
    private final String listener;
    private final TaggedTimers requests;
    private final AtomicInteger active = new AtomicInteger();

    HttpServerMetrics(String listener, MeterRegistry registry) {
        this.listener = listener;
        this.requests = new TaggedTimers(Timer.builder("joinery.http.server.requests")
            .description("HTTP requests served, by listener, method and status")
            .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(5))
            .withRegistry(registry), "listener", "method", "status");
        Gauge.builder("joinery.http.server.active", active, AtomicInteger::get)
            .description("HTTP requests being served now, by listener").tag("listener", listener).register(registry);
    }

    /** A request arrived. */
    public void started() {
        active.incrementAndGet();
    }

    /** A request was answered with {@code status} after {@code nanos}; methods other than GET, POST and OPTIONS count as {@code other}. */
    public void finished(String method, int status, long nanos) {
        active.decrementAndGet();
        String tag = switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "POST", "OPTIONS", "PUT", "DELETE", "HEAD", "PATCH" -> method.toUpperCase(Locale.ROOT);
            default -> "other";
        };
        requests.with(listener, tag, Integer.toString(status))
            .record(nanos, TimeUnit.NANOSECONDS);
    }
}
