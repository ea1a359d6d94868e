package io.joinery.proxy.execute;

import io.joinery.proxy.bounds.Permits;
import io.joinery.proxy.bounds.Waits;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.sql.SqlQuery;
import io.joinery.telemetry.PoolObserver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClientBuilder;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One Postgres source: a Vert.x pool with prepared statements cached per connection. Calls block the
 * calling virtual thread, for a bounded time: see Note [Bounded database work].
 *
 * <p>Note [Bounded database work]: a statement runs at most {@code statementTimeout}: Postgres itself
 * cancels it (the pool's connections start with {@code statement_timeout}, a startup parameter, so no
 * statement is added to any request and the backend stops on its own), and the caller gets
 * "cancelled: it ran longer than N ms". The caller waits at most {@code connectionTimeout} for a
 * connection ("database busy"; the wait queue is bounded too) and, should Postgres not answer at
 * all, no longer than both timeouts and a second. A read whose connection dies (its backend
 * terminated, Postgres restarted) is retried once on another connection. A new timeout (a source's
 * {@code statement_timeout_ms} changed) gets a new pool; the old one is closed once the statements
 * it runs are over. Behind PgBouncer, add {@code statement_timeout} (and {@code extra_float_digits},
 * which the Vert.x client sends too) to its {@code ignore_startup_parameters}; the sidecar's own bound
 * then still holds, Postgres' does not.
 *
 * <p>Note [Client disconnects]: a statement still running after {@link #WATCH_AFTER_MILLIS} starts
 * watching the client it runs for ({@link Caller}, set by the HTTP stage on the request's thread)
 * and, should the client close its connection, has Postgres cancel it: the backend stops, and the
 * work of a client that gave up (a proxy's timeout, a user who navigated away) no longer costs the
 * database the whole fleet shares. Statements shorter than that never watch. Statements keep the
 * pool's own path, which does not say which connection runs them (holding a connection per
 * statement to cancel on it cost ~13% of the sidecar's CPU per statement and met Vert.x 5's pool
 * race, "Promise already completed"); instead the pool's connections carry an application name of
 * their own, and the cancel — {@code pg_cancel_backend} through a one-connection pool of its own,
 * as the pool's may all be busy — picks the backend of this pool that runs the statement's text,
 * only if exactly one does, and only if no other request of this sidecar runs the same text. Should
 * the statement end just before the cancel lands, the next statement on that backend may be
 * cancelled instead: a read cancelled that way (57014 before its timeout) is retried once, so the
 * stray cancel costs a retry, never an answer. The watching is done by the thread that bounds the
 * waits (Note [Waits watched by one thread] in {@code bounds.Waits}), within a tick of its times.
 * Statements the join stage runs on threads of its own are not watched: the statement timeout bounds
 * them (a level's last join runs on the request's thread, and is: Note [The last join on the
 * caller's thread] in {@code join.JoinStage}). Behind PgBouncer in transaction mode the
 * backends carry PgBouncer's application name, not the pool's: the cancel finds nothing, and the
 * statement timeout bounds the statement.
 *
 * <p>Note [Connections handed out here]: a caller takes one of the pool's {@code poolSize} permits
 * (waiting at most {@code connectionTimeout}, behind at most {@link #WAITERS_PER_CONNECTION} callers per
 * connection; more are refused as busy at once) before it hands a statement or a transaction to the
 * pool, and gives it back when the pool is done with it, whenever that is. So the pool has a
 * connection for what it is given (but while a readiness ping or a catalog read, which take the pool
 * directly, briefly holds one: the statement timeout bounds those) and does not queue, and is built
 * with no wait timeout of its own:
 * Vert.x's puts a timer on an event loop for every statement, from a thread that is not the loop's
 * (a wake-up of the loop each time: 8% of the sidecar's CPU samples at Q1) and, made from a virtual
 * thread, a new Vert.x context with it; and its expiry raced the pool's hand-over ("Promise already
 * completed"). A caller that gives up waiting for its answer leaves its permit with the statement,
 * which the statement timeout bounds; nothing given to the pool waits there to run after its caller
 * has gone.
 *
 * <p>Note [Reads two to a connection]: a single statement outside a transaction (every read, and the
 * few writes that run as one statement through {@link #prepared}) is sent on one of {@code poolSize}
 * connections of its own ({@link Lanes}), each of which takes up to {@code statementsPerConnection}
 * statements at once: the second is sent behind the first without waiting for its answer (Postgres'
 * pipelining; each statement ends with its own Sync, so each is its own implicit transaction, and
 * one that fails fails alone). A backend that finishes a statement finds the next already in its
 * socket and goes on, where otherwise it would sleep until the sidecar had read the answer, handed
 * the connection on and sent the next: wake-ups of the backend and of the sidecar's threads saved
 * per statement. A statement takes an idle connection first, so statements go one behind another
 * only when every connection is busy: at low load nothing waits behind anything. Measured on two
 * cores (the fifteenth session, two sidecars side by side on one database, 16 clients, 6 alternating
 * rounds, two to a connection against one): Q1 13,184 against 10,158 req/s, 82 against 105 µs of
 * the sidecar's CPU and 42 against 49 µs of Postgres' per request; Q2 the same (1,014 against 1,031
 * req/s), its p99 1.73 against 1.97× its p50; at 2 clients no difference. The cost: a statement sent
 * behind a long one waits for it (its wait is bounded by the timeouts of those ahead of it, see
 * {@link #readWaitBound}), where with one to a connection it would take whichever connection frees
 * first; so two, not more (at four, Q2's p99 rose to 2.14× its p50 against 1.93), and none behind a
 * statement that has already run {@link Lanes#STALLED_AFTER} (a statement that has run long is the
 * likeliest to run on): while every connection with room runs such a one, a statement waits in
 * {@link Lanes} for the first answer on any connection, as it would have waited for a connection;
 * should its client go away meanwhile (Note [Client disconnects]), it is taken back before it is sent
 * and costs Postgres nothing. Which statement will be long cannot be known before it ends; this
 * bounds the common case, a report of seconds on one connection among short reads on the others. Transactions (a
 * request of several mutation fields), {@link #writeAlone} and {@link #simple}, catalog reads and
 * readiness pings keep the pool, whose connections are then opened when such work comes and closed
 * after {@link #WRITE_IDLE_SECONDS} idle: a sidecar holds up to twice {@code poolSize} backends while
 * it writes, {@code poolSize} and the pings' one while it only reads. One to a connection
 * ({@code JOINERY_STATEMENTS_PER_CONNECTION=1}, for a proxy in front of Postgres that cannot take
 * pipelining) gives every statement to the pool, as before.
 *
 * <p>Note [Plans for data in memory]: each new connection takes the settings of
 * {@code JOINERY_SESSION_DEFAULTS} that the database gives no value of its own (none in its
 * configuration file, none by {@code ALTER DATABASE} or {@code ALTER ROLE}): by default
 * {@code random_page_cost=1.0}, the cost Postgres counts for reading a page at random equal to reading
 * it in order, as it is when the data is in memory. Postgres' own default (4.0) prices a page read
 * at random as if from a disk, and a list's children per parent then come through a bitmap built for
 * each parent (a bitmap index scan, then a bitmap heap scan): for a handful of rows, building,
 * sorting and freeing the bitmap costs Postgres more than the rows themselves. At 1.0 the children
 * are read through the index directly. Counted by callgrind on the peers' Q2 (20 authors, 5 articles
 * each, 3 comments each; {@code scripts/pg-callgrind.sh}): 11.00 against 7.84 M instructions per
 * statement, and 9.72 for PostGraphile's own on Postgres' default. The flip is not a close call
 * at 1.0: at 1.1 (the value Postgres' documentation suggests for solid-state disks) the children of
 * a narrow table still came through bitmaps. A bitmap remains where only it serves (an {@code _or}
 * over two indexed columns). The settings are taken by one statement per new connection, before the
 * pool hands it out (its values bind parameters); a value Postgres refuses leaves the connection with
 * the database's settings and is logged once per pool. Behind PgBouncer in transaction mode the
 * setting stays on the server connection that took it, whichever client it serves next. Each setting
 * is judged alone: a database that sets {@code seq_page_cost} but not {@code random_page_cost} gets
 * the default's 1.0 beside its own, so it should set both (or {@code JOINERY_SESSION_DEFAULTS=none}).
 */
public final class Database implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(Database.class.getName());
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Requests that may wait for a connection, per connection of the pool; more are refused as busy at once. */
    private static final int WAITERS_PER_CONNECTION = 128;
    /** The pool's connections idle this long are closed, when reads have lanes of their own (Note [Reads two to a connection]). */
    static final int WRITE_IDLE_SECONDS = 60;
    /** A statement still running after this long starts watching its caller. */
    private static final long WATCH_AFTER_MILLIS = 200;
    /** How often a statement that watches its caller looks. */
    private static final long WATCH_EVERY_MILLIS = 100;
    /**
     * Cancels the statement of this pool ($1: its connections' application name) running $2, if there is
     * exactly one; {@code pg_stat_activity} keeps only the first {@code track_activity_query_size} bytes of it.
     */
    private static final String CANCEL = "SELECT CASE WHEN count(*) = 1 THEN pg_cancel_backend(min(pid)) ELSE false END"
            + " FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND starts_with($2, query)";

    /**
     * Sets each of $1 (names) to $2 (values) where the database, its role or its configuration file
     * gives it no value of its own (Note [Plans for data in memory]).
     */
    public static final String SESSION_DEFAULTS = "SELECT set_config(s.name, d.value, false)"
            + " FROM unnest($1::text[], $2::text[]) AS d(name, value) JOIN pg_settings AS s ON s.name = d.name WHERE s.source = 'default'";

    private final String name;
    /** The session defaults' names and values, the parameters of {@link #SESSION_DEFAULTS}; null: none. */
    private final Tuple sessionDefaults;
    private final AtomicBoolean defaultsRefused = new AtomicBoolean();
    private final Vertx vertx;
    private final String url;
    private final String host;
    private final int port;
    private final String databaseName;
    private final PoolOptions poolOptions;
    private final int statementsPerConnection;
    private final Duration stalledAfter;
    private final Duration connectionTimeout;
    private volatile Pool pool;
    /** Single statements outside transactions, two to a connection; null at one to a connection (Note [Reads two to a connection]). */
    private volatile Lanes reads;
    private volatile Duration statementTimeout;
    /** Names this pool's connections in {@code pg_stat_activity}, so a statement can be found there to be cancelled. */
    private final String applicationName = "joinery " + Long.toHexString(new SecureRandom().nextLong() >>> 16);
    /** Statements running now, by SQL text: one whose text runs twice is not cancelled (it could not be told apart). */
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private Pool cancels;
    /** Note [Connections handed out here]; Note [Permits handed over, waits bounded by one thread] in {@code bounds.Permits}. */
    private final Permits connections;
    /** Statements handed to {@link #reads}: {@code poolSize} times {@code statementsPerConnection} (the pool's own permits at one). */
    private final Permits readSlots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final int maxWaiting;
    private final PoolObserver waits;

    /** A pool whose sessions keep every setting as the database has it. */
    public Database(String name, Vertx vertx, String url, int poolSize) {
        this(name, vertx, url, poolSize, 1, DEFAULT_STATEMENT_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT, PoolObserver.NONE, Map.of());
    }

    /**
     * @param statementsPerConnection reads sent to one connection at once (Note [Reads two to a connection])
     * @param waits told of every wait for a connection, however short (the metrics' {@code joinery_pool_wait_seconds})
     * @param sessionDefaults settings each connection takes where the database has none (Note [Plans for data in memory])
     */
    public Database(String name, Vertx vertx, String url, int poolSize, int statementsPerConnection, Duration statementTimeout,
            Duration connectionTimeout, PoolObserver waits, Map<String, String> sessionDefaults) {
        this(name, vertx, url, poolSize, statementsPerConnection, Lanes.STALLED_AFTER, statementTimeout, connectionTimeout, waits, sessionDefaults);
    }

    /**
     * @param stalledAfter how long a statement runs before no other is sent behind it (Note [Reads two
     *                     to a connection]); the other constructors' is 50 ms
     */
    public Database(String name, Vertx vertx, String url, int poolSize, int statementsPerConnection, Duration stalledAfter,
            Duration statementTimeout, Duration connectionTimeout, PoolObserver waits, Map<String, String> sessionDefaults) {
        this.name = name;
        this.sessionDefaults = sessionDefaults.isEmpty() ? null : Tuple.tuple().addArrayOfString(sessionDefaults.keySet().toArray(String[]::new))
                .addArrayOfString(sessionDefaults.values().toArray(String[]::new));
        this.stalledAfter = stalledAfter;
        this.waits = waits;
        this.vertx = vertx;
        this.url = url;
        PgConnectOptions target = PgConnectOptions.fromUri(url);
        this.host = target.getHost();
        this.port = target.getPort();
        this.databaseName = target.getDatabase();
        this.statementTimeout = statementTimeout;
        this.connectionTimeout = connectionTimeout;
        this.statementsPerConnection = statementsPerConnection;
        this.connections = new Permits(poolSize);
        this.readSlots = statementsPerConnection > 1 ? new Permits(poolSize * statementsPerConnection) : connections;
        this.maxWaiting = poolSize * WAITERS_PER_CONNECTION;
        // no wait timeout and no wait queue in the pool: Note [Connections handed out here]
        PoolOptions options = new PoolOptions().setName(name).setMaxSize(poolSize).setConnectionTimeout(0).setMaxWaitQueueSize(maxWaiting);
        this.poolOptions = statementsPerConnection > 1 ? options.setIdleTimeout(WRITE_IDLE_SECONDS).setIdleTimeoutUnit(TimeUnit.SECONDS) : options;
        this.pool = newPool(statementTimeout);
        this.reads = newReads(statementTimeout);
    }

    private PgConnectOptions connectOptions(Duration timeout) {
        return PgConnectOptions.fromUri(url)
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheMaxSize(1024)
                .addProperty("statement_timeout", Long.toString(timeout.toMillis()))
                .addProperty("application_name", applicationName);
    }

    private Pool newPool(Duration timeout) {
        return builder(poolOptions, connectOptions(timeout).setPipeliningLimit(256)).build();
    }

    /** A pool's builder; its new connections take the session defaults, if there are any. */
    private ClientBuilder<Pool> builder(PoolOptions options, PgConnectOptions connect) {
        ClientBuilder<Pool> builder = PgBuilder.pool().with(options).connectingTo(connect).using(vertx);
        return sessionDefaults == null ? builder : builder.withConnectHandler(this::takeDefaults);
    }

    /**
     * A new connection takes the session defaults the database has no value for (Note [Plans for data
     * in memory]), then goes to the pool. Should Postgres refuse one (a value it does not take), the
     * connection still goes, with the database's settings, and the refusal is logged once per pool.
     */
    private void takeDefaults(SqlConnection connection) {
        connection.preparedQuery(SESSION_DEFAULTS).execute(sessionDefaults).onComplete(done -> {
            if (done.failed() && !defaultsRefused.getAndSet(true)) {
                LOGGER.log(System.Logger.Level.WARNING, "database " + name + ": the session defaults (JOINERY_SESSION_DEFAULTS) were not taken,"
                        + " its connections keep the database's settings: " + refusal(done.cause()));
            }
            connection.close();
        });
    }

    private static String refusal(Throwable cause) {
        return cause instanceof PgException pg ? pg.getErrorMessage() : cause.getClass().getSimpleName();
    }

    /**
     * The lanes of Note [Reads two to a connection], or null, over a pool of their own that lends
     * each lane its connection; it has no name, so the metrics count the lanes' busy connections as
     * the lanes report them, not the connections the lanes hold ({@code PoolMetering}).
     */
    private Lanes newReads(Duration timeout) {
        if (statementsPerConnection == 1) {
            return null;
        }
        PoolOptions options = new PoolOptions().setMaxSize(poolOptions.getMaxSize()).setConnectionTimeout(0);
        return new Lanes(builder(options, connectOptions(timeout).setPipeliningLimit(statementsPerConnection)).build(), poolOptions.getMaxSize(), statementsPerConnection, stalledAfter, waits);
    }

    public String name() {
        return name;
    }

    /** The server and database it connects to, for telemetry (never the credentials). */
    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String databaseName() {
        return databaseName;
    }

    public Pool pool() {
        return pool;
    }

    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * Sets the longest a statement may run, from the source's metadata: a new pool whose connections
     * start with it; statements already running keep theirs, and their pool closes once they are over.
     */
    public synchronized void statementTimeout(Duration timeout) {
        if (timeout.equals(statementTimeout)) {
            return;
        }
        Pool old = pool;
        Lanes oldReads = reads;
        Duration oldTimeout = statementTimeout;
        pool = newPool(timeout);
        reads = newReads(timeout);
        statementTimeout = timeout;
        vertx.setTimer(readWaitBound(oldTimeout), id -> {
            old.close();
            if (oldReads != null) {
                oldReads.close();
            }
        });
    }

    /**
     * Hands {@code work} to the pool once a connection is free for it (Note [Connections handed out
     * here]); the permit goes back when the pool has done it.
     */
    private <T> Future<T> gated(Supplier<Future<T>> work) {
        return gated(connections, work);
    }

    private <T> Future<T> gated(Permits connections, Supplier<Future<T>> work) {
        waits.enqueued();
        if (connections.tryAcquire()) {
            waits.dequeued(0);
        } else {
            long since = System.nanoTime();
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                waits.dequeued(System.nanoTime() - since);
                throw busy("more than " + maxWaiting + " callers wait for a connection");
            }
            try {
                if (!connections.acquire(connectionTimeout.toMillis())) {
                    throw busy("no connection was free within " + connectionTimeout.toMillis() + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
            } finally {
                waiting.decrementAndGet();
                waits.dequeued(System.nanoTime() - since);
            }
        }
        Future<T> future;
        try {
            future = work.get();
        } catch (RuntimeException | Error e) {
            connections.release();
            throw e;
        }
        future.onComplete(done -> connections.release());
        return future;
    }

    /** The longest a caller of the pool waits: for a connection, for the statement, and a second more. */
    private long waitBound(Duration timeout) {
        return connectionTimeout.toMillis() + timeout.toMillis() + 1000;
    }

    /**
     * The longest a reader waits: {@link #waitBound} and, with reads two to a connection, the first
     * answer on any connection (while every connection with room runs a stalled statement) and the
     * statements sent before it on its connection (Note [Reads two to a connection]).
     */
    private long readWaitBound(Duration timeout) {
        return reads == null ? waitBound(timeout) : waitBound(timeout) + timeout.toMillis() * statementsPerConnection;
    }

    /**
     * Runs a compiled read and returns its single row. A read whose connection dies under it is
     * retried once; one that never reached Postgres (the pool lent a connection it had not yet seen
     * die) is retried on the next, up to the pool's size.
     */
    public Row queryRow(SqlQuery query, Tuple params) {
        return queryRows(query, params).iterator().next();
    }

    /** Runs a compiled read and returns its rows (a flat statement's, Note [Flat rows] in {@code SqlCompiler}); retried as {@link #queryRow}. */
    public RowSet<Row> queryRows(SqlQuery query, Tuple params) {
        int diedUnder = 1;
        int neverSent = poolOptions.getMaxSize();
        while (true) {
            try {
                return run(query.text(), params, query);
            } catch (LostConnection lost) {
                if (lost.neverSent ? neverSent-- <= 0 : diedUnder-- <= 0) {
                    throw translate(lost.getCause(), query);
                }
                LOGGER.log(System.Logger.Level.INFO, "source '" + name + "': the connection was lost during a read ("
                        + lost.getCause().getMessage() + "); retrying it on another connection");
            }
        }
    }

    /**
     * Runs writes in order in ONE transaction and returns the single row of each; {@code accept} sees
     * each row as it comes and may refuse it by throwing, which rolls everything back, as does any
     * failure. A database error carries the path {@code paths} gives its statement. Never retried: Note [Writes are not retried].
     *
     * <p>Note [Writes are not retried]: a read whose connection dies is run again (Note [Bounded
     * database work]); a write is not, whatever the failure. Its connection may have died after
     * Postgres committed, and running it again would write twice. The caller gets the failure.
     *
     * <p>Note [Writes and disconnects]: a read whose client goes away is cancelled (Note [Client
     * disconnects]); a write is not: it runs to its end, commits or rolls back as it would have, and the
     * answer is dropped. Cancelling could not tell the client what happened either (it may go just after
     * the commit, while its answer is being written), so it must treat a lost answer as "maybe written"
     * in any case; running on keeps the outcome a function of the request alone, never of when the
     * client left, and the transaction whole. The statement timeout still bounds it. A write never
     * watches its caller, and a read's cancel cannot reach it but by the race that note describes, which
     * fails the write whole (Postgres rolls back a cancelled statement and its transaction).
     */
    public List<Row> write(List<SqlQuery> queries, List<Tuple> params, List<String> paths, java.util.function.BiConsumer<Integer, Row> accept) {
        Duration timeout = statementTimeout;
        List<Row> rows = new java.util.ArrayList<>(queries.size());
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        Pool pool = this.pool;
        Future<Void> transaction = gated(() -> pool.withTransaction(connection -> {
            Future<Void> chain = Future.succeededFuture();
            for (int i = 0; i < queries.size(); i++) {
                int index = i;
                chain = chain.compose(done -> {
                    running.set(index);
                    return connection.preparedQuery(queries.get(index).text()).execute(params.get(index));
                }).map(result -> {
                    Row row = result.iterator().next();
                    accept.accept(index, row);
                    rows.add(row);
                    return null;
                });
            }
            return chain;
        }));
        try {
            Waits.await(transaction.toCompletionStage().toCompletableFuture(), waitBound(timeout) * queries.size(), Waits.Check.NONE);
            return rows;
        } catch (TimeoutException e) {
            throw new JoineryException(ErrorCode.UNEXPECTED, "the database did not answer within " + waitBound(timeout) * queries.size() + " ms",
                    "$", "source '" + name + "'");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() == null ? e : e.getCause();
            if (failure instanceof JoineryException refused) {
                throw refused;
            }
            if (failure instanceof ConnectionPoolTooBusyException || String.valueOf(failure.getMessage()).startsWith("Timeout waiting for connection")) {
                throw busy(failure);
            }
            JoineryException translated = translate(failure, queries.get(running.get()));
            // The statement's database error names the field that failed, as Hasura's do ($.selectionSet.insert_t.args.objects).
            throw failure instanceof PgException
                    ? new JoineryException(translated.code(), translated.getMessage(), paths.get(running.get()), translated.internal())
                    : translated;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
        }
    }

    /**
     * Runs ONE write alone, in autocommit: a single statement is atomic by itself in Postgres, so it
     * needs no BEGIN and COMMIT around it (Note [One write, no transaction]). Never retried (Note
     * [Writes are not retried]) nor cancelled when its client goes (Note [Writes and disconnects]).
     *
     * <p>Note [One write, no transaction]: a request of one mutation field is one statement (nested
     * inserts included: Note [Nested inserts] in {@code compile.MutationCompiler}), and everything that
     * could make it fail (a constraint, a bad value, a permission check a written row fails, a row lock
     * it waits for past the timeout) fails the statement itself (Note [Mutations] there), which
     * Postgres then rolls back whole. Running it in autocommit saves two of the three round trips of
     * BEGIN, the statement, COMMIT, and leaves the outcome the same: all or nothing, and visible to
     * others only once it is whole. Several fields and {@code update_t_many}'s several statements keep
     * their transaction.
     */
    public Row writeAlone(SqlQuery query, Tuple params, String path) {
        Duration timeout = statementTimeout;
        Pool pool = this.pool;
        Future<RowSet<Row>> execution = gated(() -> pool.preparedQuery(query.text()).execute(params));
        try {
            return Waits.await(execution.toCompletionStage().toCompletableFuture(), waitBound(timeout), Waits.Check.NONE).iterator().next();
        } catch (TimeoutException e) {
            throw new JoineryException(ErrorCode.UNEXPECTED, "the database did not answer within " + waitBound(timeout) + " ms",
                    "$", "source '" + name + "'");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() == null ? e : e.getCause();
            if (failure instanceof ConnectionPoolTooBusyException || "Timeout".equals(failure.getMessage())
                    || String.valueOf(failure.getMessage()).startsWith("Timeout waiting for connection")) {
                throw busy(failure);
            }
            JoineryException translated = translate(failure, query);
            throw failure instanceof PgException
                    ? new JoineryException(translated.code(), translated.getMessage(), path, translated.internal())
                    : translated;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
        }
    }

    /** Runs a statement without parameters through the simple protocol (scripts, EXPLAIN). */
    public RowSet<Row> simple(String sql) {
        Pool pool = this.pool;
        return bounded(gated(() -> pool.query(sql).execute()), null);
    }

    public RowSet<Row> prepared(String sql, Tuple params) {
        try {
            return run(sql, params, null);
        } catch (LostConnection lost) {
            throw translate(lost.getCause(), null);
        }
    }

    /** One attempt, bounded as Note [Bounded database work] says, and cancelled if its caller goes (Note [Client disconnects]). */
    private RowSet<Row> run(String sql, Tuple params, SqlQuery query) throws LostConnection {
        Duration timeout = statementTimeout;
        long start = System.nanoTime();
        Lanes reads = this.reads;
        Pool pool = this.pool;
        Future<RowSet<Row>> execution = gated(readSlots, () -> reads == null ? pool.preparedQuery(sql).execute(params) : reads.execute(sql, params));
        inFlight.merge(sql, 1, Integer::sum);
        try {
            return await(execution, reads, sql, readWaitBound(timeout), query);
        } catch (TimeoutException e) {
            if (reads != null) {
                reads.withdraw(execution, e);
            }
            throw new JoineryException(ErrorCode.UNEXPECTED, "the database did not answer within " + readWaitBound(timeout) + " ms",
                    "$", "source '" + name + "'" + (query == null ? "" : "; sql: " + query.text()));
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() == null ? e : e.getCause();
            if (failure instanceof PgException pg && "57014".equals(pg.getSqlState())) {
                if (System.nanoTime() - start >= timeout.toNanos() - 50_000_000L) {
                    throw new JoineryException(ErrorCode.UNEXPECTED, "the database query was cancelled: it ran longer than " + timeout.toMillis() + " ms",
                            "$", "source '" + name + "': statement timeout " + timeout.toMillis() + " ms" + (query == null ? "" : "; sql: " + query.text()));
                }
                // cancelled by someone else: a cancel meant for the statement before it on the same backend (Note [Client disconnects])
                throw new LostConnection(failure, false);
            }
            if (failure instanceof ConnectionPoolTooBusyException || "Timeout".equals(failure.getMessage())
                    || String.valueOf(failure.getMessage()).startsWith("Timeout waiting for connection")) {
                throw busy(failure);
            }
            if (lost(failure)) {
                throw new LostConnection(failure, String.valueOf(failure.getMessage()).startsWith("Connection is not active now"));
            }
            throw translate(failure, query);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted while waiting for the database");
        } finally {
            inFlight.computeIfPresent(sql, (text, running) -> running == 1 ? null : running - 1);
        }
    }

    /**
     * Waits for the answer, at most {@code boundMillis} (Note [Waits watched by one thread] in
     * {@link Waits}); past {@link #WATCH_AFTER_MILLIS} the wait also watches the caller, and has the
     * statement cancelled if the caller has gone.
     */
    private RowSet<Row> await(Future<RowSet<Row>> execution, Lanes reads, String sql, long boundMillis, SqlQuery query)
            throws TimeoutException, ExecutionException, InterruptedException {
        Caller caller = Caller.current();
        try {
            return Waits.await(execution.toCompletionStage().toCompletableFuture(), boundMillis,
                    caller == Caller.NOBODY ? Waits.Check.NONE : new CallerCheck(caller, sql, execution, reads));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClientGone gone) {
                throw new JoineryException(ErrorCode.UNEXPECTED, "the client went away" + (gone.cancelled ? "; the database query was cancelled" : ""),
                        "$", "source '" + name + "'" + (query == null ? "" : "; sql: " + query.text()));
            }
            throw e;
        }
    }

    /**
     * A statement that takes a while runs only while its caller waits: from {@link #WATCH_AFTER_MILLIS}
     * on, every {@link #WATCH_EVERY_MILLIS}, it looks whether the caller has gone, and then takes the
     * statement back if it still waits in {@code reads} to be sent (Note [Reads two to a connection]),
     * else cancels it (on a thread of its own: the cancel is a statement too), and ends the wait. Runs
     * on the thread of {@link Waits} only.
     */
    private final class CallerCheck implements Waits.Check {
        private final Caller caller;
        private final String sql;
        private final Future<RowSet<Row>> execution;
        private final Lanes reads;
        private long lookedAt = -1;
        private boolean gone;

        CallerCheck(Caller caller, String sql, Future<RowSet<Row>> execution, Lanes reads) {
            this.caller = caller;
            this.sql = sql;
            this.execution = execution;
            this.reads = reads;
        }

        @Override
        public void check(Waits.Wait<?> wait, long elapsedNanos) {
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
            if (gone || elapsedMillis < WATCH_AFTER_MILLIS) {
                return;
            }
            if (lookedAt < 0) {
                caller.watch();
                lookedAt = elapsedMillis;
                return;
            }
            if (elapsedMillis - lookedAt < WATCH_EVERY_MILLIS) {
                return;
            }
            lookedAt = elapsedMillis;
            if (caller.gone() && !wait.isDone()) {
                gone = true;
                Thread.ofVirtual().start(() -> {
                    if (reads != null && reads.withdraw(execution, new ClientGone(false))) {
                        LOGGER.log(System.Logger.Level.INFO, "source '" + name + "': the client went away before its statement was sent;"
                                + " it is not sent");
                        return;
                    }
                    boolean cancelled = inFlight.getOrDefault(sql, 0) == 1 && cancel(sql);
                    LOGGER.log(System.Logger.Level.INFO, "source '" + name + "': the client went away; "
                            + (cancelled ? "its statement is cancelled" : "its statement runs on (another request runs the same one)"));
                    wait.fail(new ClientGone(cancelled));
                });
            }
        }
    }

    /** Put in place of the answer of a statement whose caller has gone. */
    private static final class ClientGone extends RuntimeException {
        final boolean cancelled;

        ClientGone(boolean cancelled) {
            super("the client went away", null, false, false);
            this.cancelled = cancelled;
        }
    }

    /**
     * Asks Postgres to cancel the one statement of this pool's connections that runs {@code sql}, through
     * a connection of its own (the pool's may all be busy); whether one was found.
     */
    private boolean cancel(String sql) {
        try {
            RowSet<Row> rows = cancels().preparedQuery(CANCEL).execute(Tuple.of(applicationName, sql))
                    .toCompletionStage().toCompletableFuture().get(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return rows.iterator().hasNext() && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0));
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.log(System.Logger.Level.WARNING, "source '" + name + "': cancelling a statement failed: " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized Pool cancels() {
        if (cancels == null) {
            cancels = PgBuilder.pool().with(new PoolOptions().setMaxSize(1).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS))
                    .connectingTo(PgConnectOptions.fromUri(url).addProperty("application_name", applicationName + " cancels"))
                    .using(vertx).build();
        }
        return cancels;
    }

    private JoineryException busy(Object why) {
        return new JoineryException(ErrorCode.UNEXPECTED, "database busy: no connection within " + connectionTimeout.toMillis() + " ms",
                "$", "source '" + name + "': " + why);
    }

    /** Whether the connection died under the statement (so Postgres did not run it to an answer): worth one retry of a read. */
    static boolean lost(Throwable failure) {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState() == null ? "" : pg.getSqlState();
            return state.startsWith("57P") || state.startsWith("08");
        }
        return failure instanceof ClosedConnectionException || String.valueOf(failure.getMessage()).startsWith("Connection is not active now");
    }

    /** A connection that died under a statement; the cause is the driver's failure. */
    private static final class LostConnection extends Exception {
        /** The statement was never sent: the connection was closed already. */
        final boolean neverSent;

        LostConnection(Throwable cause, boolean neverSent) {
            super(cause.getMessage(), cause, false, false);
            this.neverSent = neverSent;
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
            if (state.equals("22025")) {
                // invalid_escape_sequence: a LIKE pattern the caller wrote wrongly, which Hasura answers bad-request
                return new JoineryException(ErrorCode.BAD_REQUEST, pg.getErrorMessage(), "$", internal);
            }
            if (state.startsWith("22")) {
                return new JoineryException(ErrorCode.DATA_EXCEPTION, pg.getErrorMessage(), "$", internal);
            }
            if (state.equals("23514")) {
                return new JoineryException(ErrorCode.PERMISSION_ERROR, "Check constraint violation. " + pg.getErrorMessage(), "$", internal);
            }
            if (state.startsWith("23")) {
                // Hasura's words before Postgres' message, which names the constraint.
                String kind = switch (state) {
                    case "23505" -> "Uniqueness violation. ";
                    case "23503" -> "Foreign key violation. ";
                    case "23502" -> "Not-NULL violation. ";
                    default -> "";
                };
                return new JoineryException(ErrorCode.CONSTRAINT_VIOLATION, kind + pg.getErrorMessage(), "$", internal);
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
        synchronized (this) {
            if (cancels != null) {
                cancels.close();
            }
        }
        Lanes reads = this.reads;
        if (reads != null) {
            reads.close().toCompletionStage().toCompletableFuture().join();
        }
        pool.close().toCompletionStage().toCompletableFuture().join();
    }
}
