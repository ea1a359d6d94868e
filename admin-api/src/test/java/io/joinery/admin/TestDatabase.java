package io.joinery.admin;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.UUID;

/**
 * A fresh database on the server named by {@code JOINERY_TEST_DATABASE_URL} for one test class,
 * dropped (WITH (FORCE)) on close. Without the variable the calling test is skipped.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String URL_VARIABLE = "JOINERY_TEST_DATABASE_URL";

    private final Vertx vertx;
    private final Pool server;
    private final String name;
    private final PgConnectOptions options;
    private final Pool pool;

    private TestDatabase(String url) {
        vertx = Vertx.vertx();
        PgConnectOptions serverOptions = PgConnectOptions.fromUri(url);
        server = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(serverOptions).using(vertx).build();
        name = "joinery_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        await(server.query("CREATE DATABASE " + name).execute());
        options = new PgConnectOptions(serverOptions).setDatabase(name);
        pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(options).using(vertx).build();
    }

    public static TestDatabase create() {
        String url = System.getenv(URL_VARIABLE);
        return new TestDatabase(url != null && !url.isBlank() ? url : Embedded.url());
    }

    /** Without {@code JOINERY_TEST_DATABASE_URL}: one embedded PostgreSQL for the whole test JVM. */
    private static final class Embedded {
        private static String url;

        static synchronized String url() {
            if (url == null) {
                try {
                    var postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                        try {
                            postgres.close();
                        } catch (java.io.IOException e) {
                            // the JVM is ending; the temporary cluster goes with it
                        }
                    }));
                    url = "postgres://postgres@127.0.0.1:" + postgres.getPort() + "/postgres";
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot start an embedded PostgreSQL", e);
                }
            }
            return url;
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public String name() {
        return name;
    }

    /** Options to connect to this test database. */
    public PgConnectOptions options() {
        return new PgConnectOptions(options);
    }

    /** A pool on this test database, owned by this object. */
    public Pool pool() {
        return pool;
    }

    /** Runs SQL in the test database. */
    public void execute(String sql) {
        await(pool.query(sql).execute());
    }

    /** Runs SQL on the server's maintenance database (for ALTER DATABASE, pg_terminate_backend). */
    public void executeOnServer(String sql) {
        await(server.query(sql).execute());
    }

    @Override
    public void close() {
        await(pool.close());
        await(server.query("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").execute());
        await(server.close());
        await(vertx.close());
    }

    public static <T> T await(io.vertx.core.Future<T> future) {
        return future.toCompletionStage().toCompletableFuture().join();
    }
}
