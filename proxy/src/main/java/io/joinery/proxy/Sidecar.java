package io.joinery.proxy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.Source;
import io.joinery.policies.SessionResolver;
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

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
    private final Map<String, Database> databases = new LinkedHashMap<>();
    private final GraphqlEngine engine;
    private final WebServer server;

    private Sidecar(JoineryConfig config, Map<String, String> env, Telemetry telemetry) {
        this.config = config;
        this.env = env;
        this.telemetry = telemetry;
        this.vertx = Vertx.vertx();
        String url;
        Metadata metadata;
        if (config.databaseUrl().isPresent()) {
            embedded = null;
            url = config.databaseUrl().get();
            metadata = config.metadata().map(MetadataCodec::read).orElseGet(Metadata::empty);
        } else {
            embedded = EmbeddedDatabase.start(null);
            embedded.loadDemo();
            url = embedded.url();
            metadata = config.metadata().map(MetadataCodec::read).orElseGet(EmbeddedDatabase::demoMetadata);
            LOGGER.log(System.Logger.Level.INFO, "JOINERY_DATABASE_URL is not set: serving the demo dataset and metadata"
                    + " from an embedded PostgreSQL on port " + embedded.port() + " (for trying Joinery, not for production)");
        }
        databases.put(Source.DEFAULT, new Database(Source.DEFAULT, vertx, url, config.poolSize()));
        this.engine = new GraphqlEngine(build(1, metadata),
                new GraphqlEngine.EngineLimits(config.maxDepth(), 15_000), telemetry.observer());
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
        LOGGER.log(System.Logger.Level.INFO, "Joinery serves GraphQL on http://" + config.graphqlHost() + ":" + graphqlPort()
                + "/v1/graphql and its admin API on http://" + config.adminHost() + ":" + adminPort());
    }

    public static Sidecar start(JoineryConfig config, Map<String, String> env) {
        Telemetry telemetry = Telemetry.create(env);
        return new Sidecar(config, env, telemetry);
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

    private void adminRouting(HttpRouting.Builder routing) {
        routing.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, Telemetry.SCRAPE_CONTENT_TYPE);
            res.send(telemetry.scrape());
        });
        routing.get("/health/live", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"status\":\"UP\"}");
        });
        routing.get("/health/ready", (req, res) -> {
            boolean ready = engine.state() != null;
            res.status(ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"status\":\"" + (ready ? "UP" : "DOWN") + "\",\"metadata_version\":" + engine.state().version()
                    + ",\"inconsistent_objects\":" + engine.state().model().problems().size() + "}");
        });
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
        server.stop();
        databases.values().forEach(Database::close);
        vertx.close().toCompletionStage().toCompletableFuture().join();
        telemetry.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
