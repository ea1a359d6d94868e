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
    final TaggedTimers requests;
    final MeterProvider<Counter> errors;
    final TaggedTimers dbQueries;
    final MeterProvider<Timer> remoteCalls;
    final MeterProvider<Timer> actionCalls;
    final MeterProvider<Timer> joinCalls;
    final MeterProvider<DistributionSummary> joinKeys;
    final AccessLog accessLog;
    final boolean queryText;
    /** Whether spans are recorded (an exporter takes them): Note [Traces when nothing is exported] in {@link Telemetry}. */
    final boolean spansRecorded;
    final Counter parseCacheHits;
    final Counter parseCacheMisses;
    final Counter planCacheHits;
    final Counter planCacheMisses;

    RecordingObserver(OpenTelemetry openTelemetry, MeterRegistry registry, TelemetryOptions options, boolean spansRecorded) {
        this.spansRecorded = spansRecorded;
        tracer = openTelemetry.getTracer("io.joinery");
        propagator = openTelemetry.getPropagators().getTextMapPropagator();
        requests = new TaggedTimers(timer("joinery.requests", "GraphQL requests, by operation type, role and outcome", registry),
            "operation", "role", "outcome");
        errors = Counter.builder("joinery.request.errors")
            .description("Errors in answers, by extensions.code, those inside partial answers included")
            .withRegistry(registry);
        dbQueries = new TaggedTimers(timer("joinery.db.query", "SQL statements (root fields' and table joins'), by source and outcome",
            registry), "source", "outcome");
        remoteCalls = timer("joinery.remote.calls", "Calls to remote schemas for remote root fields (not joins), by remote and outcome", registry);
        actionCalls = timer("joinery.action.calls", "Calls to action handlers, by action and outcome", registry);
        joinCalls = timer("joinery.join.calls",
            "Calls of joins (one HTTP request of a remote join, or a table join's statement), by relationship, target, form, level and outcome (success, error, timeout)",
            registry);
        joinKeys = DistributionSummary.builder("joinery.join.keys")
            .description("Distinct keys sent in one call of a join, by relationship, target, form and level")
            .serviceLevelObjectives(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 10_000)
            .withRegistry(registry);
        accessLog = new AccessLog(options.accessLog());
        queryText = options.queryText();
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

    @Override
    public RequestObservation background(String name, String role) {
        return new RecordedRequest(this, Context.root(), name, role);
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
