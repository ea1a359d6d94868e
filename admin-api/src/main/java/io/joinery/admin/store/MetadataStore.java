package io.joinery.admin.store;

import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

/**
 * The metadata document in Postgres: one row of {@code joinery.metadata} holding the document as
 * JSON text and a {@code resource_version} that grows by one with every change.
 *
 * <p>Every change is one statement, hence one transaction, that writes the row and runs
 * {@code pg_notify('joinery_metadata', '<version>')}; the notification is delivered on commit, so a
 * listener never sees a version it cannot read. Writes are optimistic: {@link #replace} with an
 * expected version updates only {@code WHERE resource_version = expected} and otherwise returns a
 * {@link VersionConflict}. The schema and table are created on first use, under an advisory lock so
 * that sidecars starting together do not race on {@code CREATE ... IF NOT EXISTS}.
 *
 * <p>Methods block the calling (virtual) thread and throw {@link MetadataStoreException} when the
 * database cannot be reached. The store owns its small pool; the caller owns {@code vertx}.
 */
public final class MetadataStore implements AutoCloseable {

    /** The channel every change is announced on; the payload is the new resource version. */
    public static final String CHANNEL = "joinery_metadata";

    private static final long SCHEMA_LOCK = 0x6a6f696e65727931L; // "joinery1"
    private static final String CREATE = """
            SELECT pg_advisory_xact_lock(%d);
            CREATE SCHEMA IF NOT EXISTS joinery;
            CREATE TABLE IF NOT EXISTS joinery.metadata (
              id boolean PRIMARY KEY DEFAULT true CHECK (id),
              resource_version bigint NOT NULL CHECK (resource_version > 0),
              document text NOT NULL,
              updated_at timestamptz NOT NULL DEFAULT now())
            """.formatted(SCHEMA_LOCK);
    private static final String READ = "SELECT resource_version, document FROM joinery.metadata";
    private static final String READ_VERSION = "SELECT resource_version FROM joinery.metadata";
    private static final String PROBE = "SELECT pg_notify('" + CHANNEL + "', $1)";
    private static final String NOTIFY = " SELECT resource_version, pg_notify('" + CHANNEL + "', resource_version::text) FROM written";
    private static final String INSERT_IF_EMPTY = """
            WITH written AS (
              INSERT INTO joinery.metadata (resource_version, document) VALUES (1, $1)
              ON CONFLICT (id) DO NOTHING RETURNING resource_version)""" + NOTIFY;
    private static final String UPSERT = """
            WITH written AS (
              INSERT INTO joinery.metadata AS m (resource_version, document) VALUES (1, $1)
              ON CONFLICT (id) DO UPDATE SET resource_version = m.resource_version + 1,
                document = excluded.document, updated_at = now()
              RETURNING resource_version)""" + NOTIFY;
    private static final String UPDATE_IF_VERSION = """
            WITH written AS (
              UPDATE joinery.metadata SET resource_version = resource_version + 1, document = $1, updated_at = now()
              WHERE resource_version = $2 RETURNING resource_version)""" + NOTIFY;

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Pool pool;
    private volatile boolean created;

    /** A store on the database {@code options} names; opens at most {@code maxConnections} connections. */
    public MetadataStore(Vertx vertx, PgConnectOptions options, int maxConnections) {
        this.vertx = vertx;
        this.options = new PgConnectOptions(options);
        this.pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxConnections).setName("joinery-metadata"))
                .connectingTo(this.options)
                .using(vertx)
                .build();
    }

    /** A store with a pool of two connections, enough for admin writes and watcher reads. */
    public MetadataStore(Vertx vertx, PgConnectOptions options) {
        this(vertx, options, 2);
    }

    /** The current document; version 0 and an empty document when nothing was ever stored. */
    public StoredMetadata current() {
        RowSet<Row> rows = run("read the metadata", () -> pool.query(READ).execute());
        if (rows.size() == 0) {
            return new StoredMetadata(0, Metadata.empty());
        }
        Row row = rows.iterator().next();
        long version = row.getLong(0);
        try {
            return new StoredMetadata(version, MetadataCodec.parse(row.getString(1)));
        } catch (MetadataException e) {
            throw new MetadataStoreException("the stored metadata at resource version " + version + " is invalid: " + e.getMessage(), e);
        }
    }

    /** The current resource version only (0 for an empty store): a cheap poll. */
    public long version() {
        RowSet<Row> rows = run("read the metadata version", () -> pool.query(READ_VERSION).execute());
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    /** Stores {@code seed} as version 1 if the store is empty, and returns what the store holds afterwards. */
    public StoredMetadata initialize(Metadata seed) {
        RowSet<Row> rows = run("seed the metadata", () -> pool.preparedQuery(INSERT_IF_EMPTY).execute(Tuple.of(MetadataCodec.toJson(seed))));
        return rows.size() == 0 ? current() : new StoredMetadata(rows.iterator().next().getLong(0), seed);
    }

    /**
     * Replaces the document. With an {@code expectedVersion}, only if the store still holds that
     * version (0: only if the store is empty); without one, unconditionally.
     */
    public WriteResult replace(Metadata next, OptionalLong expectedVersion) {
        String json = MetadataCodec.toJson(next);
        RowSet<Row> rows = run("write the metadata", () -> {
            if (expectedVersion.isEmpty()) {
                return pool.preparedQuery(UPSERT).execute(Tuple.of(json));
            }
            long expected = expectedVersion.getAsLong();
            return expected == 0
                    ? pool.preparedQuery(INSERT_IF_EMPTY).execute(Tuple.of(json))
                    : pool.preparedQuery(UPDATE_IF_VERSION).execute(Tuple.of(json, expected));
        });
        if (rows.size() == 0) {
            return new VersionConflict(expectedVersion.orElseThrow(), version());
        }
        return new StoredMetadata(rows.iterator().next().getLong(0), next);
    }

    /**
     * Sends {@code payload} on the change channel without waiting: a watcher's probe, to learn whether
     * notifications reach its listening connection (Note [Notifications that do not arrive] in
     * {@link MetadataWatcher}).
     */
    Future<Void> probe(String payload) {
        return pool.preparedQuery(PROBE).execute(Tuple.of(payload)).mapEmpty();
    }

    Vertx vertx() {
        return vertx;
    }

    PgConnectOptions connectOptions() {
        return new PgConnectOptions(options);
    }

    @Override
    public void close() {
        await(pool.close());
    }

    private <T> T run(String what, java.util.function.Supplier<Future<T>> statement) {
        ensureCreated();
        try {
            return await(statement.get());
        } catch (RuntimeException e) {
            throw new MetadataStoreException("cannot " + what + ": " + message(e), e);
        }
    }

    private void ensureCreated() {
        if (created) {
            return;
        }
        try {
            await(pool.query(CREATE).execute());
            created = true;
        } catch (RuntimeException e) {
            throw new MetadataStoreException("cannot create the metadata table: " + message(e), e);
        }
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
