package io.joinery.proxy;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.http.Reply;
import io.joinery.admin.http.RouteTable;
import io.joinery.admin.store.MetadataWatcher;
import io.joinery.admin.store.WatchStatus;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/** {@code /health/live} and {@code /health/ready}, open to every caller of the admin listener (the orchestrator). */
final class HealthService implements HttpService {

    static final RouteTable<HealthService> ROUTES = new RouteTable<HealthService>()
            .reply("/health/live", Method.GET, HealthService::live)
            .reply("/health/ready", Method.GET, HealthService::ready);

    private static final Duration LIVENESS_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String graphqlHost;
    private final IntSupplier graphqlPort;
    private final EngineStates states;
    private final MetadataWatcher watcher;

    /** @param watcher the store's watcher, or null: the metadata is a read-only file */
    HealthService(String graphqlHost, IntSupplier graphqlPort, EngineStates states, MetadataWatcher watcher) {
        this.graphqlHost = graphqlHost;
        this.graphqlPort = graphqlPort;
        this.states = states;
        this.watcher = watcher;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    /**
     * Liveness: DOWN (503, with the reason) when the process has run out of memory (and was told
     * not to exit) or the GraphQL listener does not answer a new connection within 2 s; the
     * orchestrator then restarts the process. Readiness is {@link #ready}.
     */
    private Reply live(ServerRequest request) {
        Optional<String> down = OutOfMemory.hit()
                ? Optional.of("the process ran out of memory (JOINERY_EXIT_ON_OUT_OF_MEMORY=false kept it up)")
                : new ListenerProbe(graphqlHost, graphqlPort.getAsInt(), LIVENESS_PROBE_TIMEOUT).problem();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", down.isPresent() ? "DOWN" : "UP");
        down.ifPresent(reason -> details.put("reason", reason));
        return Reply.json(down.isPresent() ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, MetadataJson.write(details), null);
    }

    private Reply ready(ServerRequest request) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", "UP");
        details.put("metadata_version", states.engineVersion());
        details.put("inconsistent_objects", states.served().inconsistencies().objectCount());
        if (watcher != null) {
            WatchStatus status = watcher.status();
            details.put("metadata_store", status.healthy() ? "reachable"
                    : "unreachable since " + status.since() + ": serving the last good metadata");
        } else {
            details.put("metadata_store", "read-only file");
        }
        return Reply.json(Status.OK_200, MetadataJson.write(details), null);
    }
}
