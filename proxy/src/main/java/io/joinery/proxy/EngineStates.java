package io.joinery.proxy;

import io.joinery.admin.catalog.CatalogReader;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.check.Served;
import io.joinery.admin.http.Serving;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.store.StoredMetadata;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.engine.EngineState;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.remote.RemoteFailure;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.ActionsModel;
import io.joinery.proxy.schema.SchemaModel;
import io.joinery.proxy.schema.SchemaModelBuilder;
import io.joinery.telemetry.EngineObserver;
import io.joinery.telemetry.PoolObserver;
import io.vertx.core.Vertx;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The states the engine serves: each metadata version resolved against the live catalogs of its
 * sources and the remote schemas' introspection, built off the request path and swapped in; what a
 * state leaves out is reported ({@link #served()}). A remote schema that does not answer is tried
 * again in the background. Owns the sources' databases and the remote schemas' clients.
 */
final class EngineStates implements Serving, AutoCloseable {

    /** The sidecar's logger: what a build leaves out is the sidecar's news (and tests listen to it there). */
    private static final System.Logger LOGGER = System.getLogger(Sidecar.class.getName());
    private static final Duration MIN_REMOTE_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_REMOTE_RETRY = Duration.ofSeconds(60);

    private final JoineryConfig config;
    private final Map<String, String> env;
    private final Vertx vertx;
    private final Map<String, Database> databases = new ConcurrentHashMap<>();
    private final RemoteSchemaClients clients;
    /** The last catalog read of each source, served while the source cannot be read. */
    private final Map<String, DatabaseCatalog> lastCatalogs = new ConcurrentHashMap<>();
    /** Held while a new state is built and swapped in, so that a reload cannot put back an older version. */
    private final Function<String, PoolObserver> poolWaits;
    private final ReentrantLock swaps = new ReentrantLock();
    private volatile Duration remoteRetryDelay = MIN_REMOTE_RETRY;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("joinery-remote-retry").factory());
    /** The version being served and what its schema leaves out, swapped together. */
    private volatile Served served = new Served(0, Inconsistencies.NONE);
    private GraphqlEngine engine;

    /**
     * @param defaultUrl the database of the default source
     * @param poolWaits the observer of a source's waits for a connection, by source name
     */
    EngineStates(JoineryConfig config, Map<String, String> env, Vertx vertx, String defaultUrl, Function<String, PoolObserver> poolWaits) {
        this.config = config;
        this.env = env;
        this.vertx = vertx;
        this.poolWaits = poolWaits;
        this.clients = new RemoteSchemaClients(env, config.maxRemoteResponseBytes());
        databases.put(Source.DEFAULT, new Database(Source.DEFAULT, vertx, defaultUrl, config.poolSize(), config.statementsPerConnection(), config.statementTimeout(),
                config.poolTimeout(), poolWaits.apply(Source.DEFAULT), config.sessionDefaults()));
    }

    /**
     * The engine, serving an empty document (version 0) until {@link #load}: the listeners route to it
     * from the start, their gates keep requests away until the metadata is loaded.
     */
    GraphqlEngine start(GraphqlEngine.EngineLimits limits, EngineObserver observer) {
        engine = new GraphqlEngine(serving(build(0, Metadata.empty())), limits, observer);
        return engine;
    }

    /** Serves {@code metadata} as {@code version}: the end of the start. */
    void load(long version, Metadata metadata) {
        swaps.lock();
        try {
            engine.swap(serving(build(version, metadata)));
        } finally {
            swaps.unlock();
        }
    }

    /**
     * Each source of {@code metadata}: whether it answers {@code SELECT 1} within {@code timeout},
     * asked concurrently through its pool (readiness, and the start).
     */
    Map<String, SourceCheck> check(Metadata metadata, Duration timeout) {
        Map<String, CompletableFuture<?>> pings = new LinkedHashMap<>();
        Map<String, SourceCheck> checks = new LinkedHashMap<>();
        for (Source source : metadata.sources()) {
            Database database;
            try {
                database = database(source);
            } catch (RuntimeException e) {
                checks.put(source.name(), new SourceCheck.Unconfigured(String.valueOf(e.getMessage())));
                continue;
            }
            checks.put(source.name(), new SourceCheck.Answers());
            pings.put(source.name(), database.pool().query("SELECT 1").execute().toCompletionStage().toCompletableFuture());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        pings.forEach((name, ping) -> {
            try {
                ping.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                checks.put(name, new SourceCheck.Unanswered("no answer within " + timeout.toMillis() + " ms"));
            } catch (ExecutionException e) {
                checks.put(name, new SourceCheck.Unanswered(e.getCause() == null || e.getCause().getMessage() == null
                        ? String.valueOf(e.getCause()) : e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                checks.put(name, new SourceCheck.Unanswered("interrupted"));
            }
        });
        return checks;
    }

    /** The document being served (empty before {@link #load}). */
    Metadata servedMetadata() {
        return engine.state().metadata();
    }

    @Override
    public Served served() {
        return served;
    }

    @Override
    public void serve(StoredMetadata committed) {
        apply(committed);
    }

    /** The version the engine serves. */
    long engineVersion() {
        return engine.state().version();
    }

    /** The document the engine serves, at its version (read-only mode's {@code GET /admin/v1/metadata}). */
    StoredMetadata servedDocument() {
        EngineState state = engine.state();
        return new StoredMetadata(state.version(), state.metadata());
    }

    /**
     * Serves a new metadata version from the store, built off the request path; older versions are
     * ignored. The watcher calls it on NOTIFY, the admin API right after its own write (Note [Read
     * your writes] in {@link Serving}): whichever comes second finds the version served.
     */
    void apply(StoredMetadata stored) {
        swaps.lock();
        try {
            if (engine == null || stored.resourceVersion() <= engine.state().version()) {
                return;
            }
            engine.swap(serving(build(stored.resourceVersion(), stored.metadata())));
        } finally {
            swaps.unlock();
        }
        LOGGER.log(Level.INFO, "serving metadata version " + stored.resourceVersion());
    }

    /** Re-reads the catalogs and rebuilds the schema of the metadata served: {@link Sidecar#reload()}. */
    Inconsistencies reload() {
        swaps.lock();
        try {
            EngineState current = engine.state();
            engine.swap(serving(build(current.version(), current.metadata())));
            return served.inconsistencies();
        } finally {
            swaps.unlock();
        }
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
                    LOGGER.log(Level.INFO, "a remote schema answers again: serving it");
                    engine.swap(serving(build));
                } else {
                    build.state().release();
                    retryRemotes(version);
                }
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "retrying remote schemas failed: " + e.getMessage());
            } finally {
                swaps.unlock();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
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
                LOGGER.log(Level.WARNING, "source '" + source.name() + "' is unreachable: " + e.getMessage()
                        + (last != null ? "; serving it as last read" : "; its tables are left out"));
            }
        }
        Map<String, RemoteSchema> remotes = new LinkedHashMap<>();
        for (RemoteSchemaConfig remote : metadata.remoteSchemas()) {
            try {
                remotes.put(remote.name(), clients.introspectServed(remote));
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "remote schema '" + remote.name() + "' is unavailable: " + detailed(e));
            }
        }
        clients.dropClientsExcept(metadata);
        Inconsistencies found = ConsistencyChecker.of(source -> Optional.ofNullable(catalogs.get(source.name()))
                .orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' is unreachable")),
                EngineChecks.all(config -> Optional.ofNullable(remotes.get(config.name())).orElseThrow(() ->
                        new RemoteFailure("remote schema '" + config.name() + "' does not answer introspection"))))
                .check(metadata);
        found.problems().forEach(problem -> LOGGER.log(Level.WARNING,
                "metadata version " + version + " is inconsistent, left out: " + problem.message()));
        Metadata servable = found.servable(metadata);
        SchemaModel tables = SchemaModelBuilder.build(servable, catalogs, remotes, config.enableRemoteSchemaPermissions());
        SchemaModel model = tables.withActions(ActionsModel.of(servable, tables, env::get));
        EngineState state = new EngineState(version, metadata, model, Map.copyOf(databases), config.planCacheBytes(),
                config.enableAllowlist());
        state.whenRetired(() -> remotes.values().forEach(remote -> remote.client().release()));
        return new Build(state, found);
    }

    private static String detailed(RuntimeException e) {
        return e instanceof RemoteFailure failure ? failure.detailed() : e.getMessage();
    }

    /** The live catalog of {@code source}, for checks. */
    DatabaseCatalog catalog(Source source) {
        return CatalogReader.read(database(source).pool(), source);
    }

    /** Introspects a remote schema for a check, through a throwaway client (Note [Remote clients' lifetime]). */
    RemoteSchema introspect(RemoteSchemaConfig config) {
        return clients.introspect(config);
    }

    private Database database(Source source) {
        Database existing = databases.get(source.name());
        if (existing != null) {
            return existing;
        }
        String url = Optional.ofNullable(source.url()).map(u -> u.resolve(env::get))
                .orElseThrow(() -> new IllegalStateException("source '" + source.name() + "' has no url"));
        Database database = new Database(source.name(), vertx, url, config.poolSize(), config.statementsPerConnection(), statementTimeout(source), config.poolTimeout(),
                poolWaits.apply(source.name()), config.sessionDefaults());
        databases.put(source.name(), database);
        return database;
    }

    /** The source's own statement timeout, else the sidecar's. */
    private Duration statementTimeout(Source source) {
        return source.statementTimeoutMs() == null ? config.statementTimeout() : Duration.ofMillis(source.statementTimeoutMs());
    }

    /** No more retries of remote schemas: the sidecar is closing. */
    void stopRetrying() {
        retries.shutdownNow();
    }

    /** Closes the databases and the remote schemas' clients. */
    @Override
    public void close() {
        retries.shutdownNow();
        databases.values().forEach(Database::close);
        clients.close();
        if (engine != null) {
            engine.state().model().remotes().values().forEach(remote -> remote.client().close());
        }
    }
}
