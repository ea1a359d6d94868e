package io.joinery.proxy;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.check.Served;
import io.joinery.admin.http.AdminService;
import io.joinery.admin.http.Serving;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.MetadataWatcher;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.admin.store.WatchStatus;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.config.ConfigException;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import io.joinery.proxy.engine.EngineState;
import io.joinery.proxy.engine.ErrorCode;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.engine.JoineryException;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.http.ClientConnections;
import io.joinery.proxy.http.ClientReadTimeout;
import io.joinery.proxy.http.GraphqlEndpoint;
import io.joinery.proxy.http.TransportErrors;
import io.joinery.proxy.remote.RemoteClient;
import io.joinery.proxy.remote.RemoteClients;
import io.joinery.proxy.remote.RemoteFailure;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.response.ResponseWriter;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.SchemaModelBuilder;
import io.joinery.telemetry.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One running Joinery: its databases, engine, and the two listeners (GraphQL on loopback, admin).
 * {@link Main} starts one for the process; tests start as many as they like on free ports.
 */
public final class Sidecar implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());
    /** The gauge of the objects the served schema leaves out (Prometheus: {@code joinery_metadata_inconsistent_objects}). */
    public static final String INCONSISTENT_OBJECTS_METRIC = "joinery.metadata.inconsistent.objects";

    private final JoineryConfig config;
    private final Map<String, String> env;
    private final Telemetry telemetry;
    private final Vertx vertx;
    private final EmbeddedDatabase embedded;
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    /** The clients serving remote schemas, by name: Note [Remote clients' lifetime]. */
    private final Map<String, ConfiguredClient> clients = new ConcurrentHashMap<>();
    /** The last catalog read of each source, served while the source cannot be read. */
    private final Map<String, DatabaseCatalog> lastCatalogs = new ConcurrentHashMap<>();
    private final MetadataStore store;
    private final MetadataWatcher watcher;
    private final GraphqlEngine engine;
    private final WebServer server;
    private final ClientConnections graphqlClients;
    /** Held while a new state is built and swapped in, so that a reload cannot put back an older version. */
    private final ReentrantLock swaps = new ReentrantLock();
    private static final Duration LIVENESS_PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** The answer to a request that ran out of memory, when the process stays up (Note [Out of memory]). */
    private static final String OUT_OF_MEMORY = "the server ran out of memory";
    private static final Duration MIN_REMOTE_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_REMOTE_RETRY = Duration.ofSeconds(60);
    private volatile Duration remoteRetryDelay = MIN_REMOTE_RETRY;
    private final java.util.concurrent.ScheduledExecutorService retries = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("joinery-remote-retry").factory());
    /** What the state being served leaves out; replaced with it. */
    /** The version being served and what its schema leaves out, swapped together. */
    private volatile Served served = new Served(0, Inconsistencies.NONE);

    private Sidecar(JoineryConfig config, Map<String, String> env, Telemetry telemetry) {
        this.config = config;
        this.env = env;
        this.telemetry = telemetry;
        OutOfMemory.watch(config.exitOnOutOfMemory());
        this.vertx = Vertx.vertx();
        vertx.exceptionHandler(OutOfMemory::check);
        String url;
        Metadata seed;
        if (config.databaseUrl().isPresent()) {
            embedded = null;
            url = config.databaseUrl().get();
            seed = Metadata.empty();
        } else {
            embedded = EmbeddedDatabase.start(null);
            embedded.loadDemo();
            url = embedded.url();
            seed = EmbeddedDatabase.demoMetadata();
            LOGGER.log(System.Logger.Level.INFO, "JOINERY_DATABASE_URL is not set: serving the demo dataset and metadata"
                    + " from an embedded PostgreSQL on port " + embedded.port() + " (for trying Joinery, not for production)");
        }
        databases.put(Source.DEFAULT, new Database(Source.DEFAULT, vertx, url, config.poolSize(), config.statementTimeout(), config.poolTimeout()));
        GraphqlEngine.EngineLimits limits = new GraphqlEngine.EngineLimits(config.maxDepth(), 15_000, config.maxBoolExpDepth(), config.maxBoolExpNodes());
        if (config.metadata().isPresent()) {
            store = null;
            watcher = null;
            Metadata metadata = MetadataCodec.read(config.metadata().get());
            LOGGER.log(System.Logger.Level.INFO, "serving metadata from " + config.metadata().get() + " (read-only: the admin API cannot change it)");
            this.engine = new GraphqlEngine(serving(build(1, metadata)), limits, telemetry.observer());
        } else {
            String storeUrl = config.metadataDatabaseUrl().orElse(url);
            store = new MetadataStore(vertx, PgConnectOptions.fromUri(storeUrl));
            if (config.metadataDatabaseUrl().isPresent()) {
                LOGGER.log(System.Logger.Level.INFO, "the metadata store is in the database of JOINERY_METADATA_DATABASE_URL");
            }
            StoredMetadata initial = store.initialize(seed);
            this.engine = new GraphqlEngine(serving(build(initial.resourceVersion(), initial.metadata())), limits, telemetry.observer());
            watcher = new MetadataWatcher(store, this::apply).start();
        }
        telemetry.gauge(INCONSISTENT_OBJECTS_METRIC, () -> served.inconsistencies().objectCount());
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
                        .routing(this::adminRouting))
                .build()
                .start();
        OutOfMemory.watch(config.exitOnOutOfMemory()); // again: starting, Helidon reset the logging (and our handler on it)
        if (!server.isRunning()) {
            close();
            throw new ConfigException("cannot listen on " + config.graphqlHost() + ":" + config.graphqlPort() + " and "
                    + config.adminHost() + ":" + config.adminPort() + " (is another process using the port?)");
        }
        LOGGER.log(System.Logger.Level.INFO, "Joinery serves GraphQL on http://" + config.graphqlHost() + ":" + graphqlPort()
                + "/v1/graphql and its admin API on http://" + config.adminHost() + ":" + adminPort());
    }

    public static Sidecar start(JoineryConfig config, Map<String, String> env) {
        Telemetry telemetry = Telemetry.create(env);
        return new Sidecar(config, env, telemetry);
    }

    /**
     * Serves a new metadata version from the store, built off the request path; older versions are
     * ignored. The watcher calls it on NOTIFY, the admin API right after its own write (Note [Read
     * your writes] in {@link Serving}): whichever comes second finds the version served.
     */
    private void apply(StoredMetadata stored) {
        swaps.lock();
        try {
            if (engine == null || stored.resourceVersion() <= engine.state().version()) {
                return;
            }
            engine.swap(serving(build(stored.resourceVersion(), stored.metadata())));
        } finally {
            swaps.unlock();
        }
        LOGGER.log(System.Logger.Level.INFO, "serving metadata version " + stored.resourceVersion());
    }

    /**
     * Re-reads the catalogs of every source and rebuilds the schema of the current metadata: objects
     * that no longer resolve (a dropped column under a relationship, say) are left out, the rest is
     * served. Returns what is left out.
     */
    public Inconsistencies reload() {
        swaps.lock();
        try {
            EngineState current = engine.state();
            engine.swap(serving(build(current.version(), current.metadata())));
            return served.inconsistencies();
        } finally {
            swaps.unlock();
        }
    }

    /** The objects the schema being served leaves out, with their problems. */
    public Inconsistencies inconsistencies() {
        return served.inconsistencies();
    }

    /** A state to serve and what it leaves out. */
    record Build(EngineState state, Inconsistencies inconsistencies) {
    }

    /** Makes {@code build}'s problems the ones reported; the caller swaps its state in (or starts the engine with it). */
    private EngineState serving(Build build) {
        served = new Served(build.state().version(), build.inconsistencies());
        EngineState state = build.state();
        if (state.model().remotes().size() < state.metadata().remoteSchemas().size()) {
            retryRemotes(state.version());
        } else {
            remoteRetryDelay = MIN_REMOTE_RETRY;
        }
        return state;
    }

    /**
     * A remote schema that did not answer introspection is tried again in the background, with a
     * growing delay (5 s to 60 s), until it answers or the metadata changes; then the schema is
     * rebuilt with it. A remote down at start does not need a reload.
     */
    private void retryRemotes(long version) {
        Duration delay = remoteRetryDelay;
        remoteRetryDelay = delay.multipliedBy(2).compareTo(MAX_REMOTE_RETRY) > 0 ? MAX_REMOTE_RETRY : delay.multipliedBy(2);
        retries.schedule(() -> {
            swaps.lock();
            try {
                EngineState current = engine == null ? null : engine.state();
                if (current == null || current.version() != version) {
                    return;
                }
                Build build = build(current.version(), current.metadata());
                if (build.state().model().remotes().size() > current.model().remotes().size()) {
                    LOGGER.log(System.Logger.Level.INFO, "a remote schema answers again: serving it");
                    engine.swap(serving(build));
                } else {
                    build.state().release();
                    retryRemotes(version);
                }
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "retrying remote schemas failed: " + e.getMessage());
            } finally {
                swaps.unlock();
            }
        }, delay.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * Resolves a metadata version against the live catalogs of its sources into a state to serve:
     * the consistency checks of the admin API find the objects that do not resolve, and the schema
     * is built from the document without them, so that nothing half-broken reaches a client (a
     * permission whose filter names a dropped column is left out, not compiled into failing SQL).
     */
    Build build(long version, Metadata metadata) {
        Map<String, DatabaseCatalog> catalogs = new LinkedHashMap<>();
        for (Source source : metadata.sources()) {
            try {
                Database database = database(source);
                database.statementTimeout(statementTimeout(source));
                DatabaseCatalog catalog = CatalogReader.read(database.pool(), source);
                catalogs.put(source.name(), catalog);
                lastCatalogs.put(source.name(), catalog);
            } catch (RuntimeException e) {
                DatabaseCatalog last = lastCatalogs.get(source.name());
                if (last != null) {
                    // Keep serving the last consistent schema of a source that is down for a moment.
                    catalogs.put(source.name(), last);
                }
                LOGGER.log(System.Logger.Level.WARNING, "source '" + source.name() + "' is unreachable: " + e.getMessage()
                        + (last != null ? "; serving it as last read" : "; its tables are left out"));
            }
        }
        Map<String, RemoteSchema> remotes = new LinkedHashMap<>();
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            try {
                remotes.put(remote.name(), introspectServed(remote));
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "remote schema '" + remote.name() + "' is unavailable: " + detailed(e));
            }
        }
        dropClientsExcept(metadata);
        Inconsistencies found = AdminService.checker(source -> Optional.ofNullable(catalogs.get(source.name()))
                .orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' is unreachable")),
                EngineChecks.all(config -> Optional.ofNullable(remotes.get(config.name())).orElseThrow(() ->
                        new RemoteFailure("remote schema '" + config.name() + "' does not answer introspection"))))
                .check(metadata);
        found.problems().forEach(problem -> LOGGER.log(System.Logger.Level.WARNING,
                "metadata version " + version + " is inconsistent, left out: " + problem.message()));
        int actions = metadata.actions().size();
        int customTypes = metadata.customTypes().size();
        if (actions + customTypes > 0) {
            LOGGER.log(System.Logger.Level.INFO, actions + " actions and " + customTypes
                    + " custom types are in the metadata but not served: action execution is not built yet");
        }
        SchemaModel model = SchemaModelBuilder.build(found.servable(metadata), catalogs, remotes);
        EngineState state = new EngineState(version, metadata, model, Map.copyOf(databases), config.planCacheBytes());
        state.whenRetired(() -> remotes.values().forEach(remote -> remote.client().release()));
        return new Build(state, found);
    }

    /*
     * Note [Remote clients' lifetime]
     * A remote schema's client (its connection pool) belongs to the states that serve it. `clients`
     * holds the current client of each remote schema of the metadata, made anew when its
     * configuration changes; each state built to be served holds the clients of its remote schemas
     * too (RemoteClient.retain), and releases them once it is retired: swapped out (or discarded
     * unserved) and left by the last request running on it (EngineState). The last release closes a
     * client, so a request never meets a closed one. Checks and dry runs (the admin API, the
     * read-only `?live=true` report) introspect through a throwaway client of their own, closed
     * after it: they cost the served clients nothing and cannot close them.
     */

    /**
     * Introspects a remote schema for a state to be served, through its current client, made anew
     * when its configuration changed; the state holds the client (released when it is retired).
     * Called only while building a state (serialised by {@link #swaps}, or before the engine starts).
     */
    private RemoteSchema introspectServed(RemoteSchemaConfig config) {
        RemoteClient client = clients.compute(config.name(), (name, existing) -> {
            if (existing != null && existing.config().equals(config)) {
                return existing;
            }
            ConfiguredClient made = new ConfiguredClient(config, RemoteClients.create(config, env::get, this.config.maxRemoteResponseBytes()));
            if (existing != null) {
                // The states serving it keep it open until they are retired.
                existing.client().release();
            }
            return made;
        }).client();
        RemoteSchema schema = RemoteSchema.introspect(config, client);
        client.retain();
        return schema;
    }

    /** Releases the current clients of remote schemas the metadata no longer has. */
    private void dropClientsExcept(Metadata metadata) {
        Set<String> names = metadata.remoteSchemas().stream().map(RemoteSchemaConfig::name).collect(Collectors.toSet());
        clients.keySet().removeIf(name -> {
            if (names.contains(name)) {
                return false;
            }
            clients.get(name).client().release();
            return true;
        });
    }

    /**
     * Introspects a remote schema for a check through a client of its own, closed after it; the
     * schema's client is then closed too (checks only read the schema).
     */
    RemoteSchema introspect(RemoteSchemaConfig config) {
        try (RemoteClient client = RemoteClients.create(config, env::get, this.config.maxRemoteResponseBytes())) {
            return RemoteSchema.introspect(config, client);
        }
    }

    private static String detailed(RuntimeException e) {
        return e instanceof RemoteFailure failure ? failure.detailed() : e.getMessage();
    }

    private record ConfiguredClient(RemoteSchemaConfig config, RemoteClient client) {
    }

    private Database database(Source source) {
        Database existing = databases.get(source.name());
        if (existing != null) {
            return existing;
        }
        String url = Optional.ofNullable(source.url()).map(u -> u.resolve(env::get))
                .orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' has no url"));
        Database database = new Database(source.name(), vertx, url, config.poolSize(), statementTimeout(source), config.poolTimeout());
        databases.put(source.name(), database);
        return database;
    }

    /** The source's own statement timeout, else the sidecar's. */
    private Duration statementTimeout(Source source) {
        return source.statementTimeoutMs() == null ? config.statementTimeout() : Duration.ofMillis(source.statementTimeoutMs());
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
        routing.register("/v1/graphql", new GraphqlEndpoint(engine, sessions, new GraphqlEndpoint.Limits(config.maxBatchSize(), config.maxResponseBytes()), graphqlClients));
    }

    private DatabaseCatalog catalog(Source source) {
        return CatalogReader.read(database(source).pool(), source);
    }

    /**
     * The admin listener: the sidecar's own routes first (reload, health, metrics, and in read-only
     * mode the document), then the admin API. {@link #adminRoutes()} lists them from the same tables.
     */
    private void adminRouting(HttpRouting.Builder routing) {
        routing.error(OutOfMemoryError.class, (req, res, oom) -> {
            OutOfMemory.check(oom);
            sendJson(res, Status.INTERNAL_SERVER_ERROR_500, error("unexpected", OUT_OF_MEMORY));
        });
        ownAdminRoutes().forEach((path, handlers) -> {
            String allowed = handlers.keySet().stream().map(Method::text).sorted().collect(Collectors.joining(", "));
            handlers.forEach((method, handler) -> routing.route(method, path, handler));
            routing.any(path, (req, res) -> {
                res.header(HeaderNames.ALLOW, allowed);
                sendJson(res, Status.METHOD_NOT_ALLOWED_405, error("method-not-allowed",
                        req.prologue().method().text() + " is not allowed here; use " + allowed));
            });
        });
        if (store != null) {
            Catalogs catalogs = this::catalog;
            routing.register(new AdminService(store, catalogs, EngineChecks.all(this::introspect), config.adminSecret(),
                    Serving.of(() -> served, this::apply), config.adminServeTimeout()));
        }
    }

    /**
     * Every route of the admin listener with its methods: the admin API's (in read-only mode, the
     * few the sidecar serves itself) and reload, health and metrics. The OpenAPI document
     * ({@link AdminService#openapi()}) describes them; a test holds the two together.
     */
    public Map<String, Set<String>> adminRoutes() {
        Map<String, Set<String>> routes = new TreeMap<>(store != null ? AdminService.routes() : Map.of());
        ownAdminRoutes().forEach((path, handlers) -> routes.put(path,
                handlers.keySet().stream().map(Method::text).collect(Collectors.toCollection(TreeSet::new))));
        return routes;
    }

    private Map<String, Map<Method, Handler>> ownAdminRoutes() {
        Map<String, Map<Method, Handler>> routes = new LinkedHashMap<>();
        if (store == null) {
            routes.put(AdminService.PATH + "/metadata", Map.of(Method.GET, admin(this::readOnlyMetadata), Method.PUT, admin(this::readOnly)));
            routes.put(AdminService.PATH + "/inconsistencies", Map.of(Method.GET, admin(this::servedInconsistencies)));
            routes.put(AdminService.PATH + "/openapi", Map.of(Method.GET, admin((req, res) -> {
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(AdminService.openapi());
            })));
        }
        routes.put(AdminService.PATH + "/reload", Map.of(Method.POST, admin(this::reload)));
        routes.put("/metrics", Map.of(Method.GET, this::metrics));
        routes.put("/health/live", Map.of(Method.GET, this::live));
        routes.put("/health/ready", Map.of(Method.GET, this::ready));
        return routes;
    }

    private void reload(ServerRequest req, ServerResponse res) {
        Inconsistencies left = reload();
        sendJson(res, Status.OK_200, report("reloaded", true, left));
    }

    /** Read-only mode's {@code /inconsistencies}: what is served, or with {@code ?live=true} what the file fails now. */
    private void servedInconsistencies(ServerRequest req, ServerResponse res) {
        if (req.query().first("live").map(Boolean::parseBoolean).orElse(false)) {
            EngineState state = engine.state();
            Inconsistencies now = AdminService.checker(this::catalog, EngineChecks.all(this::introspect)).check(state.metadata());
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("resource_version", state.version());
            report.put("live", true);
            report.put("consistent", now.isEmpty());
            report.put("inconsistencies", now.problems());
            sendJson(res, Status.OK_200, report);
            return;
        }
        Served now = served;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("resource_version", now.resourceVersion());
        report.put("live", false);
        report.put("consistent", now.inconsistencies().isEmpty());
        report.put("inconsistencies", now.inconsistencies().problems());
        sendJson(res, Status.OK_200, report);
    }

    private Map<String, Object> report(String flag, Object value, Inconsistencies left) {
        Map<String, Object> report = new LinkedHashMap<>();
        if (flag != null) {
            report.put(flag, value);
        }
        report.put("resource_version", engine.state().version());
        report.put("consistent", left.isEmpty());
        report.put("inconsistencies", left.problems());
        return report;
    }

    private void readOnlyMetadata(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(MetadataCodec.toJson(engine.state().metadata()));
    }

    private void readOnly(ServerRequest req, ServerResponse res) {
        sendJson(res, Status.CONFLICT_409, error("read-only", "metadata comes from JOINERY_METADATA and cannot be changed through the admin API"));
    }

    private void metrics(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, Telemetry.SCRAPE_CONTENT_TYPE);
        res.send(telemetry.scrape());
    }

    /**
     * Liveness: DOWN (503, with the reason) when the process has run out of memory (and was told
     * not to exit) or the GraphQL listener does not answer a new connection within 2 s; the
     * orchestrator then restarts the process. Readiness is {@link #ready}.
     */
    private void live(ServerRequest req, ServerResponse res) {
        Optional<String> down = OutOfMemory.hit()
                ? Optional.of("the process ran out of memory (JOINERY_EXIT_ON_OUT_OF_MEMORY=false kept it up)")
                : new ListenerProbe(config.graphqlHost(), graphqlPort(), LIVENESS_PROBE_TIMEOUT).problem();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", down.isPresent() ? "DOWN" : "UP");
        down.ifPresent(reason -> details.put("reason", reason));
        sendJson(res, down.isPresent() ? Status.SERVICE_UNAVAILABLE_503 : Status.OK_200, details);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("status", "UP");
        details.put("metadata_version", engine.state().version());
        details.put("inconsistent_objects", served.inconsistencies().objectCount());
        if (watcher != null) {
            WatchStatus status = watcher.status();
            details.put("metadata_store", status.healthy() ? "reachable"
                    : "unreachable since " + status.since() + ": serving the last good metadata");
        } else {
            details.put("metadata_store", "read-only file");
        }
        sendJson(res, Status.OK_200, details);
    }

    /** {@code handler}, for callers that present the admin secret; others get 401 as from the admin API. */
    private Handler admin(Handler handler) {
        SessionResolver secret = new SessionResolver(config.adminSecret(), Optional.empty());
        return (req, res) -> {
            if (secret.isAdminSecret(req.headers().first(AdminService.SECRET_HEADER).orElse(null))) {
                handler.handle(req, res);
                return;
            }
            sendJson(res, Status.UNAUTHORIZED_401, error("unauthorized",
                    "this endpoint needs the admin secret in the " + AdminService.SECRET_HEADER.defaultCase() + " header"));
        };
    }

    private static Map<String, Object> error(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    private static void sendJson(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(MetadataJson.write(body));
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
        retries.shutdownNow();
        if (server != null && server.isRunning()) {
            server.stop();
        }
        if (watcher != null) {
            watcher.close();
        }
        if (store != null) {
            store.close();
        }
        databases.values().forEach(Database::close);
        clients.values().forEach(c -> c.client().close());
        if (engine != null) {
            engine.state().model().remotes().values().forEach(remote -> remote.client().close());
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
        telemetry.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
