package io.joinery.telemetry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The process's metrics registry and tracer, created once at start and closed at shutdown.
 *
 * <p>Metrics always go to a Prometheus registry, read by {@link #scrape()} for {@code /metrics}.
 * Traces are exported only when the environment configures a trace exporter
 * ({@code OTEL_TRACES_EXPORTER}, {@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}); the SDK then reads every standard {@code OTEL_*}
 * variable, with service name {@code joinery} unless one is given. Otherwise OpenTelemetry is a
 * no-op and nothing leaves the process.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.create(System.getenv());
 * EngineObserver observer = telemetry.observer();   // hand to the engine
 * telemetry.gauge("joinery.metadata.inconsistent", store::inconsistentCount);
 * }</pre>
 */
public final class Telemetry implements AutoCloseable {
    /** The content type of {@link #scrape()}'s output, for the {@code /metrics} response. */
    public static final String SCRAPE_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final String DEFAULT_SERVICE_NAME = "joinery";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AutoCloseable sdk;
    private final boolean exportsTraces;
    private final RecordingObserver observer;
    private final String tracesDestination;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, HttpServerMetrics> listeners = new ConcurrentHashMap<>();

    private Telemetry(OpenTelemetry openTelemetry, AutoCloseable sdk, boolean exportsTraces, String tracesDestination,
            TelemetryOptions options) {
        this.sdk = sdk;
        this.exportsTraces = exportsTraces;
        this.tracesDestination = tracesDestination;
        this.observer = new RecordingObserver(openTelemetry, registry, options, exportsTraces);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    /**
     * Telemetry configured from {@code env} (pass {@code System.getenv()}).
     *
     * @throws IllegalArgumentException when an {@code OTEL_*} variable has a bad value
     */
    public static Telemetry create(Map<String, String> env, TelemetryOptions options) {
        if (!configuresTraceExporter(env)) {
            OpenTelemetrySdk sdk = propagatingOnly();
            return new Telemetry(sdk, sdk, false, "traces are not exported (set OTEL_EXPORTER_OTLP_ENDPOINT to send them)", options);
        }
        OpenTelemetrySdk sdk = autoConfigure(env);
        return new Telemetry(sdk, sdk, true, destination(env), options);
    }

    /** {@link #create(Map, TelemetryOptions)} with the default options. */
    public static Telemetry create(Map<String, String> env) {
        return create(env, TelemetryOptions.DEFAULT);
    }

    /*
     * Note [Traces when nothing is exported]
     * Without an exporter, spans are not recorded (the sampler is always-off: no attributes, no
     * events, nothing buffered), but they still get ids and the W3C context still flows: a request
     * carrying traceparent keeps its trace id in the access log and in what goes to remotes, and a
     * request without one gets a fresh trace id that ties its log lines together. That costs a few
     * random numbers per span (about a microsecond); OpenTelemetry.noop() would cost nothing and
     * lose both. The SDK hands out invalid spans (no ids) from a provider without a span processor,
     * so it gets one that asks for nothing.
     */
    private static OpenTelemetrySdk propagatingOnly() {
        return OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).addSpanProcessor(new NoSpanProcessing()).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    }

    /** Where spans go, from the same variables the SDK reads, for the start-up log line. */
    static String destination(Map<String, String> env) {
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "otlp").strip();
        String sampler = env.getOrDefault("OTEL_TRACES_SAMPLER", "parentbased_always_on")
            + (env.containsKey("OTEL_TRACES_SAMPLER_ARG") ? " (" + env.get("OTEL_TRACES_SAMPLER_ARG") + ")" : "");
        if (!exporter.equalsIgnoreCase("otlp")) {
            return "traces go to the '" + exporter + "' exporter, sampler " + sampler;
        }
        String endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        if (endpoint == null) {
            String base = env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318");
            endpoint = (base.endsWith("/") ? base : base + "/") + "v1/traces";
        }
        String protocol = env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", env.getOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
        return "traces go over OTLP (" + protocol + ") to " + withoutCredentials(endpoint) + ", sampler " + sampler;
    }

    /** Processes nothing: see Note [Traces when nothing is exported]. */
    private static final class NoSpanProcessing implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    private static String withoutCredentials(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@');
        return scheme >= 0 && at > scheme ? url.substring(0, scheme + 3) + url.substring(at + 1) : url;
    }

    /** Telemetry that hands every span to {@code exporter} as it ends, for tests that assert on spans. */
    public static Telemetry forTests(SpanExporter exporter) {
        return forTests(exporter, TelemetryOptions.DEFAULT);
    }

    /** {@link #forTests(SpanExporter)} with other options. */
    public static Telemetry forTests(SpanExporter exporter, TelemetryOptions options) {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", DEFAULT_SERVICE_NAME).build()))
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
        return new Telemetry(sdk, sdk, true, "traces go to a test exporter", options);
    }

    /** The observer the engine reports to. */
    public EngineObserver observer() {
        return observer;
    }

    /** The metrics registry, for meters this module does not define. */
    public MeterRegistry registry() {
        return registry;
    }

    /** All metrics in Prometheus text format ({@link #SCRAPE_CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Whether spans leave the process (an exporter is configured), for the start-up log line. */
    public boolean exportsTraces() {
        return exportsTraces;
    }

    /** Where traces go, in a sentence for the start-up log line. */
    public String tracesDestination() {
        return tracesDestination;
    }

    /** Registers a gauge named {@code name}, described by {@code help} (Prometheus' HELP), that reads {@code value} at each scrape. */
    public void gauge(String name, String help, Supplier<Number> value) {
        Gauge.builder(name, value).description(help).strongReference(true).register(registry);
    }

    /** The metrics of the HTTP listener {@code listener} (one instance per name). */
    public HttpServerMetrics httpServer(String listener) {
        return listeners.computeIfAbsent(listener, name -> new HttpServerMetrics(name, registry));
    }

    /**
     * The observer of a connection pool of {@code source} ({@code joinery.pool.*}, tagged by source);
     * a new pool of the same source shares the series of the previous one.
     */
    public PoolObserver pool(String source, int maxSize) {
        Pool pool = pools.computeIfAbsent(source, name -> new Pool(name, registry));
        pool.maxSize.set(maxSize);
        return pool;
    }

    /** Flushes pending spans and releases the registry. */
    @Override
    public void close() {
        try {
            sdk.close();
        } catch (Exception e) {
            throw new IllegalStateException("telemetry: closing the OpenTelemetry SDK failed", e);
        } finally {
            gcMetrics.close();
            registry.close();
        }
    }

    static boolean configuresTraceExporter(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.get("OTEL_SDK_DISABLED"))) {
            return false;
        }
        String exporter = env.get("OTEL_TRACES_EXPORTER");
        if (exporter != null && !exporter.isBlank()) {
            return !"none".equalsIgnoreCase(exporter.strip());
        }
        return env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT") || env.containsKey("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    private static OpenTelemetrySdk autoConfigure(Map<String, String> env) {
        try {
            return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(Telemetry::sdkDefaults)
                .addPropertiesCustomizer(config -> otelProperties(env, config))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("telemetry: " + messages(e), e);
        }
    }

    /**
     * Defaults below anything the environment says: metrics are Micrometer's (scraped, not pushed),
     * logs are not ours to export, and OTLP goes over HTTP because only the JDK HTTP sender ships.
     */
    private static Map<String, String> sdkDefaults() {
        return Map.of(
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.exporter.otlp.protocol", "http/protobuf");
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    /**
     * {@code env}'s {@code OTEL_*} variables as SDK properties, overriding what the SDK read from the
     * process; plus {@code otel.service.name=joinery} when no service name is configured anywhere.
     */
    static Map<String, String> otelProperties(Map<String, String> env, ConfigProperties config) {
        Map<String, String> properties = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        String serviceName = properties.getOrDefault("otel.service.name", config.getString("otel.service.name"));
        String resource = properties.getOrDefault("otel.resource.attributes", config.getString("otel.resource.attributes", ""));
        if ((serviceName == null || serviceName.isBlank()) && !namesService(resource)) {
            properties.put("otel.service.name", DEFAULT_SERVICE_NAME);
        }
        return properties;
    }

    private static boolean namesService(String resourceAttributes) {
        for (String attribute : resourceAttributes.split(",")) {
            if (attribute.strip().startsWith("service.name=")) {
                return true;
            }
        }
        return false;
    }
}
