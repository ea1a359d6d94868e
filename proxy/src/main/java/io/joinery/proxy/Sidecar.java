package io.joinery.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.MetadataWatcher;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.policies.AdminSecret;
import io.joinery.policies.SessionNames;
import io.joinery.policies.SessionResolver;
import io.joinery.policies.auth.AuthHook;
import io.joinery.policies.auth.Authenticator;
import io.joinery.policies.auth.JwtAuthenticator;
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
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.pgclient.PgConnectOptions;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

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
    /** The longest wait for the authentication hook's answer (then 500, as for a hook that fails). */
    private static final Duration AUTH_HOOK_TIMEOUT = Duration.ofSeconds(10);
    /** The answer to a GraphQL request before the metadata is loaded (Note [Start and stop]). */
    static final String NOT_READY = "not ready: the sidecar is starting";
    /** How long the start waits for the sources' answers, each attempt. */
    private static final Duration SOURCE_PING_TIMEOUT = Duration.ofSeconds(5);

    private final JoineryConfig config;
    private final Telemetry telemetry;
    private final Vertx vertx;
    private final EmbeddedDatabase embedded;
    private final EngineStates states;
    private final MetadataStore store;
    private final Readiness readiness = new Readiness();
    private final GraphqlEngine engine;
    private final AdminListener admin;
    private final WebServer server;
    private final ClientConnections graphqlClients;
    private final SessionResolver sessions;
    private final io.joinery.proxy.subscription.SocketEndpoint sockets;
    private final io.joinery.proxy.action.AsyncActions asyncActions;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile MetadataWatcher watcher;

    // Note [Start and stop]
    // ~~~~~~~~~~~~~~~~~~~~~
    // Start: the listeners come up first, so that the orchestrator sees the process live while it
    // waits for its databases; their gates answer 503 (GraphQL: "not ready", admin API: not-ready)
    // until the metadata is loaded, and /health/ready says what the start waits for. The metadata
    // store, then every source of the metadata, must answer (a source without a usable URL, an unset
    // from_env say, is not waited for: it is an inconsistency, left out); StartupRetry tries again with a
    // growing delay for JOINERY_STARTUP_TIMEOUT_SECONDS, then the start fails with one line and
    // Main exits 1. Bad configuration or a bad metadata file fails at once (exit 2): retrying
    // cannot mend them.
    // Serving: /health/ready is UP only while the metadata is loaded and every source answers a
    // SELECT 1 within 2 s (through its pool: a pool that stays saturated for 2 s reads as not
    // answering). The metadata store is reported but not required: the last good metadata is
    // served while it is down (the fleet must not go unready when only the store fails).
    // Stop: SIGTERM (Termination) makes readiness DOWN at once and keeps serving for
    // JOINERY_SHUTDOWN_DRAIN_SECONDS, long enough for the orchestrator to stop routing to the pod;
    // then close(): the listeners stop accepting and requests in flight get
    // JOINERY_SHUTDOWN_GRACE_SECONDS (Helidon's grace), then the pools close, and the embedded
    // database stops last, after everything that could query it. The process exits 0.

    /**
     * The options of the Vert.x that runs the databases' pools. PoolMetering: the pools of the sources
     * report to /metrics. Its event loops: Note [One thread for the databases' I/O] in JoineryConfig.
     * No file-system cache: Vert.x would create one under /tmp at start (and fail to start on a
     * read-only root file system without it); the sidecar serves no files through Vert.x.
     */
    static VertxOptions vertxOptions(JoineryConfig config) {
        return PoolMetering.options()
                .setEventLoopPoolSize(config.databaseIoThreads())
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
    }

    private Sidecar(JoineryConfig config, Map<String, String> env, Telemetry telemetry, Supplier<Metadata> embeddedSeed, StartAhead ahead) {
        this.config = config;
        this.telemetry = telemetry;
        OutOfMemory.watch(config.exitOnOutOfMemory());
        LogFormat.install(config.telemetry().jsonLogs());
        LOGGER.log(Level.INFO, telemetry.tracesDestination());
        this.vertx = Vertx.builder().with(vertxOptions(config)).withMetrics(new PoolMetering(telemetry)).build();
        vertx.exceptionHandler(OutOfMemory::check);
        DefaultDatabase database = DefaultDatabase.of(config, embeddedSeed);
        this.embedded = database.embedded();
        this.states = new EngineStates(config, env, vertx, database.url(), source -> telemetry.pool(source, config.poolSize()));
        GraphqlEngine.EngineLimits limits = new GraphqlEngine.EngineLimits(config.maxDepth(), 15_000, config.maxBoolExpDepth(), config.maxBoolExpNodes());
        this.engine = states.start(limits, telemetry.observer());
        if (config.metadata().isPresent()) {
            store = null;
        } else {
            String storeUrl = config.metadataDatabaseUrl().orElse(database.url());
            store = new MetadataStore(vertx, PgConnectOptions.fromUri(storeUrl));
            if (config.metadataDatabaseUrl().isPresent()) {
                LOGGER.log(Level.INFO, "the metadata store is in the database of JOINERY_METADATA_DATABASE_URL");
            }
        }
        this.asyncActions = asyncActions(engine, vertx, config.metadataDatabaseUrl().orElse(database.url()));
        engine.asyncActions(asyncActions);
        engine.flatRows(config.flatRows());
        telemetry.gauge(INCONSISTENT_OBJECTS_METRIC, "Metadata objects the served schema leaves out because they no longer resolve",
                () -> states.served().inconsistencies().objectCount());
        // Nagle's algorithm held the tail of every response over ~8 KB for the client's
        // delayed ACK (40 ms): 27% of direct-SQL throughput instead of 88% (the benchmark).
        // See Note [Client read timeout] for the read timeout and use-nio.
        this.graphqlClients = new ClientConnections(Duration.ofSeconds(config.readTimeoutSeconds()));
        this.sessions = sessions(config);
        this.sockets = new io.joinery.proxy.subscription.SocketEndpoint(engine, sessions, config.subscriptions(), readiness::loaded);
        telemetry.gauge("joinery.subscriptions", "Subscriptions held: live queries and streams, over all WebSocket connections",
                () -> sockets.live().size());
        telemetry.gauge("joinery.subscription.cohorts", "Cohorts of subscriptions polled, each one statement per batch per refetch",
                () -> sockets.live().cohorts());
        // The console's GraphiQL posts to the same endpoint on the admin listener (ConsoleService);
        // that listener's connections are not watched for disconnects.
        GraphqlEndpoint consoleGraphql = graphqlEndpoint(new ClientConnections(Duration.ofSeconds(config.readTimeoutSeconds())));
        this.admin = new AdminListener(config, telemetry, states, store, readiness, this::graphqlPort, consoleGraphql);
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
                .shutdownGracePeriod(config.lifecycle().shutdownGrace())
                .shutdownHook(false) // Note [Start and stop]: the sidecar stops its listeners itself, after the drain
                .routing(this::graphqlRouting)
                .addRouting(io.helidon.webserver.websocket.WsRouting.builder().endpoint("/v1/graphql", sockets::connection))
                .putSocket("admin", socket -> socket.host(config.adminHost()).port(config.adminPort())
                        .maxPayloadSize(config.maxAdminRequestBytes())
                        .connectionOptions(connections)
                        .useNio(false)
                        .shutdownGracePeriod(config.lifecycle().shutdownGrace())
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
        LOGGER.log(Level.INFO, "listening on " + config.graphqlHost() + ":" + graphqlPort() + " (GraphQL) and "
                + config.adminHost() + ":" + adminPort() + " (admin); ready once the metadata is loaded and its databases answer");
        try {
            load(database.seed(), ahead);
            asyncActions.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Says where it serves: {@code Main} calls it once the signals that stop the sidecar are handled,
     * so that whoever waits for this line (a supervisor, a test) can stop it gracefully at once.
     */
    public void announce() {
        LOGGER.log(Level.INFO, "Joinery serves GraphQL on http://" + config.graphqlHost() + ":" + graphqlPort()
                + "/v1/graphql and its admin API on http://" + config.adminHost() + ":" + adminPort());
    }

    /**
     * Asynchronous actions, their log in the metadata store's database (the default database when the
     * metadata is a file): Note [Async actions across a restart] in {@code action.AsyncActions}.
     */
    private static io.joinery.proxy.action.AsyncActions asyncActions(GraphqlEngine engine, Vertx vertx, String url) {
        var log = new io.joinery.proxy.action.AsyncActionLog(new io.joinery.proxy.execute.Database("joinery-action-log", vertx, url, 2));
        return new io.joinery.proxy.action.AsyncActions(log,
                name -> engine.held(state -> Optional.ofNullable(state.model().actions().actions().get(name))
                        .filter(io.joinery.proxy.schema.ActionModel::asynchronous)
                        .map(action -> new io.joinery.proxy.action.AsyncActions.Served(action,
                                state.actionTransforms().getOrDefault(name, io.joinery.proxy.action.transform.ActionTransforms.NONE),
                                state.model().actions()))),
                () -> engine.held(state -> state.model().actions().all().stream().filter(io.joinery.proxy.schema.ActionModel::asynchronous).toList()),
                engine.observer());
    }

    /** Loads the metadata, from the file or the store, once the store and every source answer (Note [Start and stop]). */
    private void load(Metadata seed, StartAhead ahead) {
        StartupRetry retry = new StartupRetry(config.lifecycle().startupTimeout(), readiness::waitingFor);
        if (config.metadata().isPresent()) {
            Metadata metadata = ahead.metadataFile();
            LOGGER.log(Level.INFO, "serving metadata from " + config.metadata().get() + " (read-only: the admin API cannot change it)");
            retry.attempt("the databases of the sources", () -> sourcesAnswer(metadata));
            states.load(1, metadata);
            readiness.loaded(null);
            return;
        }
        StoredMetadata initial = retry.attempt("the metadata store", () -> store.initialize(seed));
        retry.attempt("the databases of the sources", () -> sourcesAnswer(initial.metadata()));
        states.load(initial.resourceVersion(), initial.metadata());
        watcher = new MetadataWatcher(store, states::apply).start();
        readiness.loaded(watcher);
    }

    private Metadata sourcesAnswer(Metadata metadata) {
        StringBuilder unanswered = new StringBuilder();
        states.check(metadata, SOURCE_PING_TIMEOUT).forEach((name, check) -> {
            if (check.unanswered()) {
                unanswered.append(unanswered.isEmpty() ? "" : "; ").append("source '").append(name).append("' ").append(check.describe());
            }
        });
        if (!unanswered.isEmpty()) {
            throw new StartupRetry.Unreachable(unanswered.toString());
        }
        return metadata;
    }

    public static Sidecar start(JoineryConfig config, Map<String, String> env) {
        return start(config, env, EmbeddedDatabase::demoMetadata);
    }

    /**
     * Starts a sidecar whose embedded database (without {@code JOINERY_DATABASE_URL}) starts its
     * metadata store with {@code embeddedSeed}: the {@code demo} command's metadata (Note [The demo]).
     */
    public static Sidecar start(JoineryConfig config, Map<String, String> env, Supplier<Metadata> embeddedSeed) {
        StartAhead ahead = StartAhead.begin(config); // Note [Start ahead]
        Telemetry telemetry = Telemetry.create(env, config.telemetry());
        return new Sidecar(config, env, telemetry, embeddedSeed, ahead);
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
    /** The WebSocket endpoint's live queries (subscriptions held, cohorts polled). */
    public io.joinery.proxy.subscription.LiveQueries liveQueries() {
        return sockets.live();
    }

    public Inconsistencies inconsistencies() {
        return states.served().inconsistencies();
    }

    private void graphqlRouting(HttpRouting.Builder routing) {
        routing.error(OutOfMemoryError.class, (req, res, oom) -> {
            OutOfMemory.check(oom);
            res.status(Status.INTERNAL_SERVER_ERROR_500);
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.send(ResponseWriter.error(new JoineryException(ErrorCode.UNEXPECTED, OUT_OF_MEMORY), false)
                    .getBytes(StandardCharsets.UTF_8));
        });
        routing.addFilter(HttpMetricsFilter.of(telemetry.httpServer("graphql")));
        routing.addFilter((chain, req, res) -> {
            if (readiness.loaded()) {
                chain.proceed();
                return;
            }
            res.status(Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            res.send(ResponseWriter.error(new JoineryException(ErrorCode.UNEXPECTED, NOT_READY), false).getBytes(StandardCharsets.UTF_8));
        });
        routing.register("/v1/graphql", graphqlEndpoint(graphqlClients));
    }

    private GraphqlEndpoint graphqlEndpoint(ClientConnections clients) {
        return new GraphqlEndpoint(engine, sessions, new GraphqlEndpoint.Limits(config.maxBatchSize(), config.maxResponseBytes()), clients);
    }

    /** How callers get their sessions: the admin secret, then a JWT or the authentication hook, else the unauthorized role. */
    private static SessionResolver sessions(JoineryConfig config) {
        SessionNames names = new SessionNames(config.acceptHasuraSession());
        Optional<Authenticator> authenticator = config.jwt()
                .<Authenticator>map(jwt -> new JwtAuthenticator(jwt, names, config.jwksRefetchFloor(), Clock.systemUTC()))
                .or(() -> config.authHook().map(url -> new AuthHook(url, config.authHookMode(), names, AUTH_HOOK_TIMEOUT, Clock.systemUTC())));
        return new SessionResolver(new AdminSecret(config.adminSecret()), config.unauthorizedRole(), config.unauthorizedSessionHeaders(),
                names, authenticator);
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

    /** SIGTERM: readiness says no from now on, requests are still served until {@link #close()} (Note [Start and stop]). */
    void drain() {
        readiness.draining();
    }

    /**
     * Stops the listeners (requests in flight get the shutdown grace), closes the pools, and stops
     * the embedded database last. Closing twice does nothing more.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        readiness.draining();
        states.stopRetrying();
        sockets.close();
        if (server != null && server.isRunning()) {
            server.stop();
        }
        if (asyncActions != null) {
            asyncActions.close(config.lifecycle().shutdownGrace());
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
