package io.joinery.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.MetadataWatcher;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.config.ConfigException;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.http.ClientConnections;
import io.joinery.proxy.http.ClientReadTimeout;
import io.joinery.proxy.http.GraphqlEndpoint;
import io.joinery.proxy.http.TransportErrors;
import io.joinery.proxy.response.ResponseWriter;
import io.joinery.proxy.execute.PoolMetering;
import io.joinery.proxy.http.HttpMetricsFilter;
import io.joinery.telemetry.LogFormat;
import io.joinery.telemetry.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One running Joinery: its databases, engine, and the two listeners (GraphQL on loopback, admin).
 * {@link Main} starts one for the process; tests start as many as they like on free ports. This
 * class puts the parts together and closes them: {@link EngineStates} builds and swaps what the
 * engine serves, {@link AdminListener} routes the admin listener.
 */
public final class Sidecar implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());
    /** The gauge of the objects the served schema leaves out (Prometheus: {@code joinery_metadata_inconsistent_objects}). */
    public static final String INCONSISTENT_OBJECTS_METRIC = "joinery.metadata.inconsistent.objects";
    /** The answer to a request that ran out of memory, when the process stays up (Note [Out of memory]). */
    static final String OUT_OF_MEMORY = "the server ran out of memory";

    private final JoineryConfig config;
    private final Telemetry telemetry;
    private final Vertx vertx;
    private final EmbeddedDatabase embedded;
    private final EngineStates states;
    private final MetadataStore store;
    private final MetadataWatcher watcher;
    private final GraphqlEngine engine;
    private final AdminListener admin;
    private final WebServer server;
    private final ClientConnections graphqlClients;

    private Sidecar(JoineryConfig config, Map<String, String> env, Telemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
        OutOfMemory.watch(config.exitOnOutOfMemory());
        LogFormat.install(config.telemetry().jsonLogs());
        LOGGER.log(Level.INFO, telemetry.tracesDestination());
        this.vertx = Vertx.builder().with(PoolMetering.options()).withMetrics(new PoolMetering(telemetry)).build();
        vertx.exceptionHandler(OutOfMemory::check);
        DefaultDatabase database = DefaultDatabase.of(config);
        this.embedded = database.embedded();
        this.states = new EngineStates(config, env, vertx, database.url());
        GraphqlEngine.EngineLimits limits = new GraphqlEngine.EngineLimits(config.maxDepth(), 15_000, config.maxBoolExpDepth(), config.maxBoolExpNodes());
        if (config.metadata().isPresent()) {
            store = null;
            watcher = null;
            Metadata metadata = MetadataCodec.read(config.metadata().get());
            LOGGER.log(Level.INFO, "serving metadata from " + config.metadata().get() + " (read-only: the admin API cannot change it)");
            this.engine = states.start(1, metadata, limits, telemetry.observer());
        } else {
            String storeUrl = config.metadataDatabaseUrl().orElse(database.url());
            store = new MetadataStore(vertx, PgConnectOptions.fromUri(storeUrl));
            if (config.metadataDatabaseUrl().isPresent()) {
                LOGGER.log(Level.INFO, "the metadata store is in the database of JOINERY_METADATA_DATABASE_URL");
            }
            StoredMetadata initial = store.initialize(database.seed());
            this.engine = states.start(initial.resourceVersion(), initial.metadata(), limits, telemetry.observer());
            watcher = new MetadataWatcher(store, states::apply).start();
        }
        telemetry.gauge(INCONSISTENT_OBJECTS_METRIC, "Metadata objects the served schema leaves out because they no longer resolve",
                () -> states.served().inconsistencies().objectCount());
        this.admin = new AdminListener(config, telemetry, states, store, watcher, this::graphqlPort);
        // Nagle's algorithm held the tail of every response over ~8 KB for the client's
        // delayed ACK (40 ms): 27% of direct-SQL throughput instead of 88% (the benchmark).
        // See Note [Client read timeout] for the read timeout and use-nio.
        this.graphqlClients = new ClientConnections(Duration.ofSeconds(config.readTimeoutSeconds()));
        SocketOptions connections = ClientReadTimeout.of(SocketOptions.builder().tcpNoDelay(true).build(),
                Duration.ofSeconds(config.readTimeoutSeconds()));
        this.server = WebServer.builder()
                .host(config.graphqlHost())
                .port(config.graphqlPort())
                .maxPayloadSize(config.maxRequestBytes())
                .connectionOptions(connections)
                .useNio(false)
                .addProtocol(Http1Config.builder().addReceiveListener(graphqlClients).build())
                .directHandlers(TransportErrors.graphql(config.maxRequestBytes()))
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .routing(this::graphqlRouting)
                .putSocket("admin", socket -> socket.host(config.adminHost()).port(config.adminPort())
                        .maxPayloadSize(config.maxAdminRequestBytes())
                        .connectionOptions(connections)
                        .useNio(false)
                        .directHandlers(TransportErrors.admin(config.maxAdminRequestBytes()))
                        .routing(routing -> {
                            routing.addFilter(HttpMetricsFilter.of(telemetry.httpServer("admin")));
                            admin.routing(routing);
                        }))
                .build()
                .start();
        OutOfMemory.watch(config.exitOnOutOfMemory()); // again: starting, Helidon reset the logging (and our handler on it)
        LogFormat.install(config.telemetry().jsonLogs());
        if (!server.isRunning()) {
            close();
            throw new ConfigException("cannot listen on " + config.graphqlHost() + ":" + config.graphqlPort() + " and "
                    + config.adminHost() + ":" + config.adminPort() + " (is another process using the port?)");
        }
        LOGGER.log(Level.INFO, "Joinery serves GraphQL on http://" + config.graphqlHost() + ":" + graphqlPort()
                + "/v1/graphql and its admin API on http://" + config.adminHost() + ":" + adminPort());
    }

    public static Sidecar start(JoineryConfig config, Map<String, String> env) {
        Telemetry telemetry = Telemetry.create(env, config.telemetry());
        return new Sidecar(config, env, telemetry);
    }

    /**
     * Re-reads the catalogs of every source and rebuilds the schema of the current metadata: objects
     * that no longer resolve (a dropped column under a relationship, say) are left out, the rest is
     * served. Returns what is left out.
     */
    public Inconsistencies reload() {
        return states.reload();
    }

    /** The objects the schema being served leaves out, with their problems. */
    public Inconsistencies inconsistencies() {
        return states.served().inconsistencies();
    }

    private void graphqlRouting(HttpRouting.Builder routing) {
        SessionResolver sessions = new SessionResolver(config.adminSecret(), config.unauthorizedRole(), config.unauthorizedSessionHeaders());
        routing.error(OutOfMemoryError.class, (req, res, oom) -> {
            OutOfMemory.check(oom);
            res.status(Status.INTERNAL_SERVER_ERROR_500);
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.send(ResponseWriter.error(new JoineryException(ErrorCode.UNEXPECTED, OUT_OF_MEMORY), false)
                    .getBytes(StandardCharsets.UTF_8));
        });
        routing.addFilter(HttpMetricsFilter.of(telemetry.httpServer("graphql")));
        routing.register("/v1/graphql", new GraphqlEndpoint(engine, sessions, new GraphqlEndpoint.Limits(config.maxBatchSize(), config.maxResponseBytes()), graphqlClients));
    }

    /**
     * Every route of the admin listener with its methods: the admin API's (in read-only mode, the
     * few of {@code ReadOnlyService}) and reload, health and metrics. The OpenAPI document
     * ({@code AdminService.openapi()}) describes them; a test holds the two together.
     */
    public Map<String, Set<String>> adminRoutes() {
        return admin.routes();
    }

    public GraphqlEngine engine() {
        return engine;
    }

    public int graphqlPort() {
        return server.port();
    }

    public int adminPort() {
        return server.port("admin");
    }

    @Override
    public void close() {
        states.stopRetrying();
        if (server != null && server.isRunning()) {
            server.stop();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (store != null) {
            store.close();
        }
        states.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        telemetry.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
