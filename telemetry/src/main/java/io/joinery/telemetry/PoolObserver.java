package io.joinery.telemetry;

/**
 * One connection pool of a source, as its driver reports it: requests waiting for a connection,
 * connections in use, and how long each wait took. Get one per pool from {@link Telemetry#pool};
 * pools of the same source (a new pool replacing the old one) share their series.
 */
public interface PoolObserver {

    /** Observes nothing: a pool no one measures (the CLI's). */
    PoolObserver NONE = new PoolObserver() {
        @Override
        public void enqueued() {
        }

        @Override
        public void dequeued(long nanos) {
        }

        @Override
        public void acquired() {
        }

        @Override
        public void released() {
        }
    };

    /** A request starts waiting for a connection. */
    void enqueued();

    /** A request stops waiting after {@code nanos}, with or without a connection. */
    void dequeued(long nanos);

    /** A connection is lent. */
    void acquired();

    /** A connection comes back. */
    void released();
}
