package io.joinery.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.time.Duration;
import java.util.function.Function;

/**
 * {@link Telemetry#observer()}: holds the meters and the tracer that every {@link RecordedRequest}
 * shares. Meters with fixed tags are registered once; the others are looked up per call through
 * Micrometer's {@link MeterProvider}.
 */
final class RecordingObserver implements EngineObserver {
    static final String SUCCESS = "success";
    static final String ERROR = "error";
    static final String UNKNOWN = "unknown";

    /** Prometheus-style buckets for every timer: a few, fixed, so series stay cheap. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private static final TextMapGetter<Function<String, String>> HEADER_GETTER =
        (header, name) -> header == null ? null : header.apply(name);

    final Tracer tracer;
    final TextMapPropagator propagator;
    final MeterProvider<Timer> requests;
    final MeterProvider<Counter> errors;
    final MeterProvider<Timer> dbQueries;
    final MeterProvider<Timer> remoteCalls;
    final MeterProvider<Timer> actionCalls;
    final MeterProvider<DistributionSummary> joinKeys;
    final Counter parseCacheHits;
    final Counter parseCacheMisses;
    final Counter planCacheHits;
    final Counter planCacheMisses;

    RecordingObserver(OpenTelemetry openTelemetry, MeterRegistry registry) {
        tracer = openTelemetry.getTracer("io.joinery");
        propagator = openTelemetry.getPropagators().getTextMapPropagator();
        requests = timer("joinery.requests", "GraphQL requests, by operation type, role and outcome", registry);
        errors = Counter.builder("joinery.request.errors").description("Errors returned, by code").withRegistry(registry);
        dbQueries = timer("joinery.db.query", "SQL statements, by source and outcome", registry);
        remoteCalls = timer("joinery.remote.calls", "Calls to remote schemas, by remote and outcome", registry);
        actionCalls = timer("joinery.action.calls", "Calls to action handlers, by action and outcome", registry);
        joinKeys = DistributionSummary.builder("joinery.remote.join.keys")
            .description("Distinct join keys sent in one remote-join call")
            .serviceLevelObjectives(1, 10, 100, 1_000, 10_000)
            .withRegistry(registry);
        parseCacheHits = cacheCounter("joinery.parse.cache", "hit", registry);
        parseCacheMisses = cacheCounter("joinery.parse.cache", "miss", registry);
        planCacheHits = cacheCounter("joinery.plan.cache", "hit", registry);
        planCacheMisses = cacheCounter("joinery.plan.cache", "miss", registry);
    }

    @Override
    public RequestObservation begin(String operationType, String operationName, String role) {
        return new RecordedRequest(this, Context.root(), operationType, operationName, role);
    }

    @Override
    public RequestObservation begin(String operationType, String operationName, String role,
            Function<String, String> header) {
        Context remoteParent = propagator.extract(Context.root(), header, HEADER_GETTER);
        return new RecordedRequest(this, remoteParent, operationType, operationName, role);
    }

    static String outcome(boolean ok) {
        return ok ? SUCCESS : ERROR;
    }

    static String orUnknown(String tag) {
        return tag == null ? UNKNOWN : tag;
    }

    private static MeterProvider<Timer> timer(String name, String description, MeterRegistry registry) {
        return Timer.builder(name)
            .description(description)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .withRegistry(registry);
    }

    private static Counter cacheCounter(String name, String result, MeterRegistry registry) {
        return Counter.builder(name).description("Cache lookups, by result").tag("result", result).register(registry);
    }
}
