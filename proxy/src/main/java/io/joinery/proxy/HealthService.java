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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/** {@code /health/live} and {@code /health/ready}, open to every caller of the admin listener (the orchestrator). */
final class HealthService implements HttpService {

    static final RouteTable<HealthService> ROUTES = new RouteTable<HealthService>()
            .reply("/health/live", Method.GET, HealthService::live)
            .reply("/health/ready", Method.GET, HealthService::ready);

    private static final Duration LIVENESS_PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration READINESS_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final String graphqlHost;
    private final IntSupplier graphqlPort;
    private final EngineStates states;
    private final Readiness readiness;
    private final boolean withStore;

    /** @param withStore whether the metadata comes from the store (else: a read-only file) */
    HealthService(String graphqlHost, IntSupplier graphqlPort, EngineStates states, Readiness readiness, boolean withStore) {
        this.graphqlHost = graphqlHost;
        this.graphqlPort = graphqlPort;
        this.states = states;
        this.readiness = readiness;
        this.withStore = withStore;
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

    /**
     * Readiness: UP (200) only while the metadata is loaded, the sidecar is not draining, and every
     * source of the served metadata answers {@code SELECT 1} within 2 s; else DOWN (503) with the
     * reasons. The metadata store is reported, not required: while it is down the last good
     * metadata is served (Note [Start and stop] in {@link Sidecar}).
     */
    private Reply ready(ServerRequest request) {
        List<String> reasons = new ArrayList<>();
        readiness.starting().ifPresent(reason -> reasons.add("starting: " + reason));
        if (readiness.isDraining()) {
            reasons.add("shutting down: requests are still served until the listeners close");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        if (readiness.loaded() && !readiness.isDraining()) {
            states.check(states.servedMetadata(), READINESS_PROBE_TIMEOUT).forEach((name, check) -> {
                sources.put(name, check.describe());
                if (check.unanswered()) {
                    reasons.add("source '" + name + "' " + check.describe());
                }
            });
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", reasons.isEmpty() ? "UP" : "DOWN");
        if (!reasons.isEmpty()) {
            details.put("reasons", reasons);
        }
        details.put("metadata_version", states.engineVersion());
        details.put("inconsistent_objects", states.served().inconsistencies().objectCount());
        details.put("metadata_store", metadataStore());
        details.put("sources", sources);
        return Reply.json(reasons.isEmpty() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, MetadataJson.write(details), null);
    }

    private String metadataStore() {
        if (!withStore) {
            return "read-only file";
        }
        return readiness.watcher().map(watcher -> {
            WatchStatus status = watcher.status();
            if (!status.healthy()) {
                return "unreachable since " + status.since() + ": serving the last good metadata";
            }
            return status.notified() ? "reachable"
                    : "reachable; notifications of changes do not arrive: read every " + MetadataWatcher.UNNOTIFIED_POLL.toSeconds() + " s";
        }).orElse("not read yet");
    }
}
