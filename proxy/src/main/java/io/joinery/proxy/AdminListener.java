package io.joinery.proxy;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.http.AdminAuth;
import io.joinery.admin.http.AdminService;
import io.joinery.admin.http.ReadOnlyService;
import io.joinery.admin.http.Replies;
import io.joinery.admin.store.MetadataStore;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.telemetry.Telemetry;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The routes of the admin listener: the sidecar's own (reload, health, metrics), then the admin API
 * on the store ({@link AdminService}), or in read-only mode the few routes of the document it serves
 * ({@link ReadOnlyService}). {@link #routes()} lists them from the same route tables.
 */
final class AdminListener {

    private final JoineryConfig config;
    private final Telemetry telemetry;
    private final EngineStates states;
    private final MetadataStore store;
    private final Readiness readiness;
    private final IntSupplier graphqlPort;

    /** @param store the metadata store, or null: the metadata is a read-only file */
    AdminListener(JoineryConfig config, Telemetry telemetry, EngineStates states, MetadataStore store, Readiness readiness,
                  IntSupplier graphqlPort) {
        this.config = config;
        this.telemetry = telemetry;
        this.states = states;
        this.store = store;
        this.readiness = readiness;
        this.graphqlPort = graphqlPort;
    }

    void routing(HttpRouting.Builder routing) {
        routing.error(OutOfMemoryError.class, (req, res, oom) -> {
            OutOfMemory.check(oom);
            Replies.sendError(res, Status.INTERNAL_SERVER_ERROR_500, "unexpected", Sidecar.OUT_OF_MEMORY);
        });
        new MetricsService(telemetry).routing(routing);
        new HealthService(config.graphqlHost(), graphqlPort, states, readiness, store != null).routing(routing);
        routing.addFilter((chain, req, res) -> {
            String path = req.path().path();
            if (readiness.loaded() || path.startsWith("/health/") || path.equals("/metrics")) {
                chain.proceed();
                return;
            }
            Replies.sendError(res, Status.SERVICE_UNAVAILABLE_503, "not-ready", "the sidecar is starting (see /health/ready)");
        });
        new ReloadService(states, new AdminAuth(config.adminSecret())).routing(routing);
        Catalogs catalogs = states::catalog;
        if (store == null) {
            ConsistencyChecker checker = ConsistencyChecker.of(catalogs, EngineChecks.all(states::introspect));
            routing.register(new ReadOnlyService(states::servedDocument, checker, states, config.adminSecret()));
            return;
        }
        routing.register(new AdminService(store, catalogs, EngineChecks.all(states::introspect), config.adminSecret(),
                states, config.adminServeTimeout()));
    }

    /**
     * Every route of the admin listener with its methods: the admin API's (in read-only mode, the
     * few of {@code ReadOnlyService}) and reload, health and metrics. The OpenAPI document
     * ({@link AdminService#openapi()}) describes them; a test holds the two together.
     */
    Map<String, Set<String>> routes() {
        Map<String, Set<String>> routes = new TreeMap<>(store != null ? AdminService.routes() : ReadOnlyService.routes());
        routes.putAll(ReloadService.ROUTES.methods(""));
        routes.putAll(MetricsService.ROUTES.methods(""));
        routes.putAll(HealthService.ROUTES.methods(""));
        return routes;
    }
}
