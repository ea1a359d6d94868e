package io.joinery.proxy.execute;

import io.joinery.telemetry.PoolObserver;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The connections single statements are sent on, up to {@code depth} at once on each (Note [Reads two
 * to a connection] in {@link Database}). A statement takes an idle connection if there is one, else
 * opens one while fewer than {@code size} are open, else goes behind the statements of a busy
 * connection with room: the one with the fewest, of those the one whose last answer came latest. A
 * connection whose statement has run longer than {@code stalledAfter} takes none behind it (a
 * statement that has run long is the likeliest to run on): while every connection with room is such
 * a one, statements wait here, in order, for the next answer on any connection. Callers hold one of
 * {@code size × depth} permits while their statement runs or waits here, so no more wait than the
 * connections have room for. The connections are lent by {@code pool} and held until they die or
 * the lanes close; the metrics count a connection in use while it has statements ({@code observer}).
 */
final class Lanes {

    /** A connection whose statement has run this long takes no other behind it. */
    static final Duration STALLED_AFTER = Duration.ofMillis(50);

    private final Pool pool;
    private final Lane[] lanes;
    private final int depth;
    private final long stalledAfterNanos;
    private final PoolObserver observer;
    /** Statements waiting for a connection that is not stalled, in the order they came. */
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    /** One connection's place: its connection once asked for (null: none open), and its statements now. */
    private static final class Lane {
        Future<SqlConnection> connection;
        int inFlight;
        /** When its last answer came, or its first statement after idling went (System.nanoTime). */
        long progressed;
    }

    private record Waiting(String sql, Tuple params, Promise<RowSet<Row>> answer) {
    }

    Lanes(Pool pool, int size, int depth, Duration stalledAfter, PoolObserver observer) {
        this.pool = pool;
        this.depth = depth;
        this.stalledAfterNanos = stalledAfter.toNanos();
        this.observer = observer;
        this.lanes = new Lane[size];
        for (int i = 0; i < size; i++) {
            lanes[i] = new Lane();
        }
    }

    Future<RowSet<Row>> execute(String sql, Tuple params) {
        Lane lane;
        Future<SqlConnection> connection;
        synchronized (this) {
            lane = waiting.isEmpty() ? pick(System.nanoTime()) : null;
            if (lane == null) {
                Promise<RowSet<Row>> answer = Promise.promise();
                waiting.add(new Waiting(sql, params, answer));
                return answer.future();
            }
            connection = take(lane);
        }
        return send(lane, connection, sql, params);
    }

    /**
     * An open idle lane, else one not open, else the open one with room and not stalled with the
     * fewest statements, the latest to progress of them; null if there is none.
     */
    private Lane pick(long now) {
        Lane closed = null;
        Lane fewest = null;
        for (Lane lane : lanes) {
            if (lane.connection == null) {
                closed = closed == null ? lane : closed;
            } else if (lane.inFlight == 0) {
                return lane;
            } else if (lane.inFlight < depth && now - lane.progressed < stalledAfterNanos
                    && (fewest == null || lane.inFlight < fewest.inFlight
                        || lane.inFlight == fewest.inFlight && lane.progressed - fewest.progressed > 0)) {
                fewest = lane;
            }
        }
        return closed != null ? closed : fewest;
    }

    /** Counts a statement on {@code lane}, opening its connection if it has none; under the lock. */
    private Future<SqlConnection> take(Lane lane) {
        if (lane.connection == null) {
            lane.connection = open(lane);
        }
        if (lane.inFlight++ == 0) {
            lane.progressed = System.nanoTime();
            observer.acquired();
        }
        return lane.connection;
    }

    private Future<RowSet<Row>> send(Lane lane, Future<SqlConnection> connection, String sql, Tuple params) {
        Future<RowSet<Row>> answer = connection.compose(open -> open.preparedQuery(sql).execute(params));
        answer.onComplete(done -> finished(lane, connection, done));
        return answer;
    }

    private Future<SqlConnection> open(Lane lane) {
        Future<SqlConnection> connection = pool.getConnection();
        connection.onSuccess(open -> open.closeHandler(closed -> drop(lane, connection)));
        return connection;
    }

    private void finished(Lane lane, Future<SqlConnection> connection, AsyncResult<RowSet<Row>> done) {
        synchronized (this) {
            if (--lane.inFlight == 0) {
                observer.released();
            }
            lane.progressed = System.nanoTime();
        }
        if (done.failed() && (connection.failed() || Database.lost(done.cause()))) {
            drop(lane, connection);
        }
        sendWaiting();
    }

    /** Sends the statements that waited, in order, as long as a lane takes them. */
    private void sendWaiting() {
        while (true) {
            Waiting next;
            Lane lane;
            Future<SqlConnection> connection;
            synchronized (this) {
                lane = waiting.isEmpty() ? null : pick(System.nanoTime());
                if (lane == null) {
                    return;
                }
                next = waiting.poll();
                connection = take(lane);
            }
            send(lane, connection, next.sql(), next.params()).onComplete(next.answer());
        }
    }

    /** Forgets a lane's connection that failed to open or died; the next statement there opens another. */
    private void drop(Lane lane, Future<SqlConnection> connection) {
        synchronized (this) {
            if (lane.connection != connection) {
                return;
            }
            lane.connection = null;
        }
        if (connection.succeeded()) {
            connection.result().close();
        }
        sendWaiting();
    }

    /**
     * Takes back a statement that still waits here, its caller gone: it fails with {@code why}, its
     * permit goes back, and Postgres never sees it. Whether it waited; a statement already sent runs on.
     */
    boolean withdraw(Future<RowSet<Row>> answer, Throwable why) {
        Waiting withdrawn = null;
        synchronized (this) {
            for (Iterator<Waiting> statements = waiting.iterator(); statements.hasNext(); ) {
                Waiting statement = statements.next();
                if (statement.answer().future() == answer) {
                    statements.remove();
                    withdrawn = statement;
                    break;
                }
            }
        }
        return withdrawn != null && withdrawn.answer().tryFail(why);
    }

    /** Gives the lanes' connections back and closes their pool; statements still running fail, those waiting too. */
    Future<Void> close() {
        ArrayDeque<Waiting> left;
        synchronized (this) {
            for (Lane lane : lanes) {
                if (lane.connection != null && lane.connection.succeeded()) {
                    lane.connection.result().close();
                }
                lane.connection = null;
            }
            left = new ArrayDeque<>(waiting);
            waiting.clear();
        }
        left.forEach(statement -> statement.answer().tryFail(new IllegalStateException("the source's connections were closed")));
        return pool.close();
    }
}
