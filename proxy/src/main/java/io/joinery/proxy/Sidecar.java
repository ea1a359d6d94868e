package io.joinery.proxy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.http.AdminService;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
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
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.http.GraphqlEndpoint;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.SchemaModelBuilder;
import io.joinery.telemetry.Telemetry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One running Joinery: its databases, engine, and the two listeners (GraphQL on loopback, admin).
 * {@link Main} starts one for the process; tests start as many as they like on free ports.
 */
public final class Sidecar implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());

    private final JoineryConfig config;
    private final Map<String, String> env;
    private final Telemetry telemetry;
    private final Vertx vertx;
    private final EmbeddedDatabase embedded;
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private final MetadataStore store;
    private final MetadataWatcher watcher;
    private final GraphqlEngine engine;
    private final WebServer server;

    private Sidecar(JoineryConfig config, Map<String, String> env, Telemetry telemetry) {
        this.config = config;
        this.env = env;
        this.telemetry = telemetry;
        this.vertx = Vertx.vertx();
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
        databases.put(Source.DEFAULT, new Database(Source.DEFAULT, vertx, url, config.poolSize()));
        GraphqlEngine.EngineLimits limits = new GraphqlEngine.EngineLimits(config.maxDepth(), 15_000);
        if (config.metadata().isPresent()) {
            store = null;
            watcher = null;
            Metadata metadata = MetadataCodec.read(config.metadata().get());
            LOGGER.log(System.Logger.Level.INFO, "serving metadata from " + config.metadata().get() + " (read-only: the admin API cannot change it)");
            this.engine = new GraphqlEngine(build(1, metadata), limits, telemetry.observer());
        } else {
            store = new MetadataStore(vertx, PgConnectOptions.fromUri(url));
            StoredMetadata initial = store.initialize(seed);
            this.engine = new GraphqlEngine(build(initial.resourceVersion(), initial.metadata()), limits, telemetry.observer());
            watcher = new MetadataWatcher(store, this::apply).start();
        }
        this.server = WebServer.builder()
                .host(config.graphqlHost())
                .port(config.graphqlPort())
                .maxPayloadSize(config.maxRequestBytes())
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .routing(this::graphqlRouting)
                .putSocket("admin", socket -> socket.host(config.adminHost()).port(config.adminPort())
                        .routing(this::adminRouting))
                .build()
                .start();
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

    /** Serves a new metadata version from the store, built off the request path; older versions are ignored. */
    private void apply(StoredMetadata stored) {
        if (engine == null || stored.resourceVersion() <= engine.state().version()) {
            return;
        }
        engine.swap(build(stored.resourceVersion(), stored.metadata()));
        LOGGER.log(System.Logger.Level.INFO, "serving metadata version " + stored.resourceVersion());
    }

    /** Re-reads the catalogs of every source and rebuilds the schema of the current metadata. */
    public void reload() {
        EngineState current = engine.state();
        engine.swap(build(current.version(), current.metadata()));
    }

    /** Resolves a metadata version against the live catalogs of its sources into a state to serve. */
    EngineState build(long version, Metadata metadata) {
        Map<String, DatabaseCatalog> catalogs = new LinkedHashMap<>();
        for (Source source : metadata.sources()) {
            try {
                Database database = database(source);
                catalogs.put(source.name(), CatalogReader.read(database.pool()));
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "source '" + source.name() + "' is unreachable: " + e.getMessage());
            }
        }
        SchemaModel model = SchemaModelBuilder.build(metadata, catalogs);
        model.problems().forEach(problem -> LOGGER.log(System.Logger.Level.WARNING, "inconsistent metadata: " + problem));
        return new EngineState(version, metadata, model, Map.copyOf(databases), config.planCacheSize());
    }

    private Database database(Source source) {
        Database existing = databases.get(source.name());
        if (existing != null) {
            return existing;
        }
        String url = Optional.ofNullable(source.url()).map(u -> u.resolve(env::get))
                .orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' has no url"));
        Database database = new Database(source.name(), vertx, url, config.poolSize());
        databases.put(source.name(), database);
        return database;
    }

    private void graphqlRouting(HttpRouting.Builder routing) {
        SessionResolver sessions = new SessionResolver(config.adminSecret(), config.unauthorizedRole());
        routing.register("/v1/graphql", new GraphqlEndpoint(engine, sessions));
    }

    private DatabaseCatalog catalog(Source source) {
        return CatalogReader.read(database(source).pool());
    }

    private void adminRouting(HttpRouting.Builder routing) {
        if (store != null) {
            Catalogs catalogs = this::catalog;
            routing.register(new AdminService(store, catalogs, EngineChecks.all(), config.adminSecret()));
        } else {
            routing.any(AdminService.PATH + "/metadata", (req, res) -> {
                if (!authorized(req.headers().first(AdminService.SECRET_HEADER).orElse(null))) {
                    unauthorized(res);
                    return;
                }
                if (req.prologue().method() != io.helidon.http.Method.GET) {
                    res.status(Status.CONFLICT_409);
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"code\":\"read-only\",\"message\":\"metadata comes from JOINERY_METADATA and cannot be changed through the admin API\"}");
                    return;
                }
                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                res.send(MetadataCodec.toJson(engine.state().metadata()));
            });
        }
        routing.post(AdminService.PATH + "/reload", (req, res) -> {
            if (!authorized(req.headers().first(AdminService.SECRET_HEADER).orElse(null))) {
                unauthorized(res);
                return;
            }
            reload();
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"reloaded\":true,\"inconsistent_objects\":" + problemsJson() + "}");
        });
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, Telemetry.SCRAPE_CONTENT_TYPE);
            res.send(telemetry.scrape());
        });
        routing.get("/health/live", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"status\":\"UP\"}");
        });
        routing.get("/health/ready", (req, res) -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("status", "UP");
            details.put("metadata_version", engine.state().version());
            details.put("inconsistent_objects", engine.state().model().problems().size());
            if (watcher != null) {
                WatchStatus status = watcher.status();
                details.put("metadata_store", status.healthy() ? "reachable"
                        : "unreachable since " + status.since() + ": serving the last good metadata");
            } else {
                details.put("metadata_store", "read-only file");
            }
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(MetadataJson.write(details));
        });
    }

    private boolean authorized(String presented) {
        return new SessionResolver(config.adminSecret(), Optional.empty()).isAdminSecret(presented);
    }

    private static void unauthorized(io.helidon.webserver.http.ServerResponse res) {
        res.status(Status.UNAUTHORIZED_401);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send("{\"code\":\"unauthorized\",\"message\":\"send the admin secret in X-Joinery-Admin-Secret\"}");
    }

    private String problemsJson() {
        return MetadataJson.write(engine.state().model().problems());
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
        vertx.close().toCompletionStage().toCompletableFuture().join();
        telemetry.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
