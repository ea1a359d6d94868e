package io.joinery.proxy.execute;

import io.joinery.proxy.engine.ErrorCode;
import io.joinery.proxy.engine.JoineryException;
import io.joinery.proxy.sql.SqlQuery;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.concurrent.CompletionException;

/**
 * One Postgres source: a Vert.x pool with prepared statements cached per connection and
 * pipelining. Calls block the calling virtual thread.
 */
public final class Database implements AutoCloseable {

    private final String name;
    private final Pool pool;

    public Database(String name, Vertx vertx, String url, int poolSize) {
        this.name = name;
        PgConnectOptions options = PgConnectOptions.fromUri(url)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(1024)
                .setPipeliningLimit(256);
        this.pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize)).connectingTo(options).using(vertx).build();
    }

    public String name() {
        return name;
    }

    public Pool pool() {
        return pool;
    }

    /** Runs a compiled statement and returns its single row. */
    public Row queryRow(SqlQuery query, Tuple params) {
        RowSet<Row> rows = await(pool.preparedQuery(query.text()).execute(params), query);
        return rows.iterator().next();
    }

    /** Runs a statement without parameters through the simple protocol (scripts, EXPLAIN). */
    public RowSet<Row> simple(String sql) {
        return await(pool.query(sql).execute(), null);
    }

    public RowSet<Row> prepared(String sql, Tuple params) {
        return await(pool.preparedQuery(sql).execute(params), null);
    }

    private <T> T await(io.vertx.core.Future<T> future, SqlQuery query) {
        try {
            return future.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), query);
        }
    }

    /** Maps a driver failure to Hasura's codes; Postgres' message is kept only as internal detail unless it is about the data. */
    static JoineryException translate(Throwable failure, SqlQuery query) {
        String internal = failure.getMessage() + (query == null ? "" : "; sql: " + query.text());
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            if (state.startsWith("22")) {
                return new JoineryException(ErrorCode.DATA_EXCEPTION, pg.getErrorMessage(), "$", internal);
            }
            if (state.equals("23514")) {
                return new JoineryException(ErrorCode.PERMISSION_ERROR, "Check constraint violation. " + pg.getErrorMessage(), "$", internal);
            }
            if (state.startsWith("23")) {
                return new JoineryException(ErrorCode.CONSTRAINT_VIOLATION, pg.getErrorMessage(), "$", internal);
            }
            if (state.equals("57014")) {
                return new JoineryException(ErrorCode.UNEXPECTED, "the database query was cancelled (timeout)", "$", internal);
            }
            return new JoineryException(ErrorCode.UNEXPECTED, "database query error", "$", internal);
        }
        return new JoineryException(ErrorCode.UNEXPECTED, "database connection error", "$", internal);
    }

    @Override
    public void close() {
        pool.close().toCompletionStage().toCompletableFuture().join();
    }
}
