package io.joinery.proxy.execute;

import io.joinery.telemetry.PoolObserver;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * The connections single statements are sent on, up to {@code depth} at once on each (Note [Reads two
 * to a connection] in {@link Database}). A statement takes an idle connection if there is one, else
 * opens one while fewer than {@code size} are open, else goes behind the statements of the connection
 * with the fewest, of those the one whose last answer came latest (a connection whose statement has
 * run long is the likeliest to run on): so statements are sent one behind another only when every
 * connection is busy.
 * Callers hold one of {@code size × depth} permits while their statement runs, so a connection with
 * room is always there. The connections are lent by {@code pool} and held until they die or the
 * lanes close; the metrics count a connection in use while it has statements ({@code observer}).
 */
final class Lanes {

    private final Pool pool;
    private final Lane[] lanes;
    private final PoolObserver observer;

    /** One connection's place: its connection once asked for (null: none open), and its statements now. */
    private static final class Lane {
        Future<SqlConnection> connection;
        int inFlight;
        /** When its last answer came, or its first statement after idling went (System.nanoTime). */
        long progressed;
    }

    Lanes(Pool pool, int size, PoolObserver observer) {
        this.pool = pool;
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
            lane = pick();
            if (lane.connection == null) {
                lane.connection = open(lane);
            }
            if (lane.inFlight++ == 0) {
                lane.progressed = System.nanoTime();
                observer.acquired();
            }
            connection = lane.connection;
        }
        Future<RowSet<Row>> answer = connection.compose(open -> open.preparedQuery(sql).execute(params));
        answer.onComplete(done -> finished(lane, connection, done));
        return answer;
    }

    /** An open idle lane, else one not open, else the open one with the fewest statements, the latest to progress of them. */
    private Lane pick() {
        Lane closed = null;
        Lane fewest = null;
        for (Lane lane : lanes) {
            if (lane.connection == null) {
                closed = closed == null ? lane : closed;
            } else if (lane.inFlight == 0) {
                return lane;
            } else if (fewest == null || lane.inFlight < fewest.inFlight
                    || lane.inFlight == fewest.inFlight && lane.progressed - fewest.progressed > 0) {
                fewest = lane;
            }
        }
        return closed != null ? closed : fewest;
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
    }

    /** Statements on each lane now, open or not (-1: not open); for tests. */
    synchronized int[] inFlight() {
        int[] counts = new int[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            counts[i] = lanes[i].connection == null ? -1 : lanes[i].inFlight;
        }
        return counts;
    }

    /** Gives the lanes' connections back and closes their pool; statements still running fail. */
    Future<Void> close() {
        synchronized (this) {
            for (Lane lane : lanes) {
                if (lane.connection != null && lane.connection.succeeded()) {
                    lane.connection.result().close();
                }
                lane.connection = null;
            }
        }
        return pool.close();
    }
}
