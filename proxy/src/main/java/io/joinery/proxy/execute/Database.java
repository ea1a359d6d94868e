package io.joinery.proxy.execute;

import io.joinery.proxy.engine.ErrorCode;
import io.joinery.proxy.engine.JoineryException;
import io.joinery.proxy.sql.SqlQuery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Postgres source: a Vert.x pool with prepared statements cached per connection. Calls block the
 * calling virtual thread, for a bounded time: see Note [Bounded database work].
 *
 * <p>Note [Bounded database work]: a statement waits at most {@code connectionTimeout} for a
 * connection ("database busy") and runs at most {@code statementTimeout}; then the sidecar stops
 * waiting and sends Postgres a cancel request for it, so the backend stops too, and the connection
 * goes back to the pool only once Postgres has answered (a late cancel cannot hit the next
 * request's statement). The sidecar enforces the timeout rather than a {@code statement_timeout}
 * startup parameter, which poolers such as PgBouncer refuse. A read whose connection dies (its
 * backend terminated, Postgres restarted) is retried once on another connection.
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Requests that may wait for a connection, per connection of the pool; more are refused as busy at once. */
    private static final int WAITERS_PER_CONNECTION = 128;

    private final String name;
    private final Pool pool;
    private final Duration connectionTimeout;
    private volatile Duration statementTimeout;

    public Database(String name, Vertx vertx, String url, int poolSize) {
        this(name, vertx, url, poolSize, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
    }

    public Database(String name, Vertx vertx, String url, int poolSize, Duration statementTimeout, Duration connectionTimeout) {
        this.name = name;
        this.statementTimeout = statementTimeout;
        this.connectionTimeout = connectionTimeout;
        PgConnectOptions options = PgConnectOptions.fromUri(url)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(1024)
                .setPipeliningLimit(256);
        PoolOptions poolOptions = new PoolOptions().setMaxSize(poolSize)
                .setConnectionTimeout((int) connectionTimeout.toMillis()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(poolSize * WAITERS_PER_CONNECTION);
        this.pool = PgBuilder.pool().with(poolOptions).connectingTo(options).using(vertx).build();
    }

    public String name() {
        return name;
    }

    public Pool pool() {
        return pool;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** Sets the longest a statement may run, from the source's metadata; statements already running keep theirs. */
    public void statementTimeout(Duration timeout) {
        this.statementTimeout = timeout;
    }

    /** Runs a compiled read and returns its single row; a read whose connection dies is retried once. */
    public Row queryRow(SqlQuery query, Tuple params) {
        RowSet<Row> rows;
        try {
            rows = run(query.text(), params, query);
        } catch (LostConnection lost) {
            LOGGER.log(System.Logger.Level.INFO, "source '" + name + "': the connection was lost during a read ("
                    + lost.getCause().getMessage() + "); retrying it once on another connection");
            try {
                rows = run(query.text(), params, query);
            } catch (LostConnection again) {
                throw translate(again.getCause(), query);
            }
        }
        return rows.iterator().next();
    }

    /** Runs a statement without parameters through the simple protocol (scripts, EXPLAIN). */
    public RowSet<Row> simple(String sql) {
        return bounded(pool.query(sql).execute(), null);
    }

    public RowSet<Row> prepared(String sql, Tuple params) {
        try {
            return run(sql, params, null);
        } catch (LostConnection lost) {
            throw translate(lost.getCause(), null);
        }
    }

    /** One attempt on one connection, within the statement timeout. See Note [Bounded database work]. */
    private RowSet<Row> run(String sql, Tuple params, SqlQuery query) throws LostConnection {
        Duration timeout = statementTimeout;
        SqlConnection connection = acquire(query);
        Promise<Void> cancelled = Promise.promise();
        Future<RowSet<Row>> execution = connection.preparedQuery(sql).execute(params);
        execution.onComplete(done -> cancelled.future().onComplete(any -> connection.close()));
        try {
            RowSet<Row> rows = execution.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            cancelled.tryComplete();
            return rows;
        } catch (TimeoutException e) {
            cancel(connection, cancelled);
            throw new JoineryException(ErrorCode.UNEXPECTED, "the database query was cancelled: it ran longer than " + timeout.toMillis() + " ms",
                    "$", "source '" + name + "': statement timeout " + timeout.toMillis() + " ms" + (query == null ? "" : "; sql: " + query.text()));
        } catch (ExecutionException e) {
            cancelled.tryComplete();
            Throwable failure = e.getCause() == null ? e : e.getCause();
            if (lost(failure)) {
                throw new LostConnection(failure);
            }
            throw translate(failure, query);
        } catch (InterruptedException e) {
            cancel(connection, cancelled);
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
        }
    }

    /** A connection of the pool within the connection timeout, else "database busy". */
    private SqlConnection acquire(SqlQuery query) {
        Future<SqlConnection> acquisition = pool.getConnection();
        try {
            // The pool times the wait out itself; the extra second only guards against a pool that does not.
            return acquisition.toCompletionStage().toCompletableFuture().get(connectionTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            acquisition.onSuccess(SqlConnection::close);
            throw busy(e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() == null ? e : e.getCause();
            if (failure instanceof ConnectionPoolTooBusyException || "Timeout".equals(failure.getMessage())
                    || String.valueOf(failure.getMessage()).startsWith("Timeout waiting for connection")) {
                throw busy(failure);
            }
            throw translate(failure, query);
        } catch (InterruptedException e) {
            acquisition.onSuccess(SqlConnection::close);
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
        }
    }

    private JoineryException busy(Throwable failure) {
        return new JoineryException(ErrorCode.UNEXPECTED, "database busy: no connection within " + connectionTimeout.toMillis() + " ms",
                "$", "source '" + name + "': " + failure);
    }

    /** Asks Postgres to cancel what the connection runs; the connection returns to the pool once that is done and Postgres has answered. */
    private void cancel(SqlConnection connection, Promise<Void> cancelled) {
        ((PgConnection) connection).cancelRequest().onComplete(done -> {
            if (done.failed()) {
                LOGGER.log(System.Logger.Level.WARNING, "source '" + name + "': cancelling a statement failed: " + done.cause().getMessage());
            }
            cancelled.tryComplete();
        });
    }

    /** Whether the connection died under the statement (so Postgres did not run it to an answer): worth one retry of a read. */
    static boolean lost(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith("57P") || state.startsWith("08");
        }
        return failure instanceof ClosedConnectionException;
    }

    /** A connection that died under a statement; the cause is the driver's failure. */
    private static final class LostConnection extends Exception {
        LostConnection(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private <T> T bounded(Future<T> future, SqlQuery query) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(statementTimeout.toMillis() + connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new JoineryException(ErrorCode.UNEXPECTED, "the database query was cancelled: it ran longer than " + statementTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), query);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
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
                return new JoineryException(ErrorCode.UNEXPECTED, "the database query was cancelled", "$", internal);
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
