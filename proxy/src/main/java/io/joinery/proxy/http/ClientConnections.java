package io.joinery.proxy.http;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.joinery.proxy.execute.Caller;

import java.time.Duration;

/**
 * Tells the database stage whether a GraphQL client is still connected, so that a statement whose
 * client went away is cancelled instead of running on for nobody (Note [Client disconnects] in
 * {@code execute.Database}).
 *
 * <p>Helidon gives a handler no view of its connection, but it tells a receive listener the
 * connection of each request it reads, on the thread that then runs the request's handler (one
 * virtual thread per HTTP/1.1 connection): the listener keeps it for that thread. Watching is
 * Helidon's own detection of closed idle connections ({@link HelidonSocket#idle()}, used by its
 * client's connection pool): a background read of at most one byte, handed back to the connection's
 * next read, so a pipelined request loses nothing; the connection's next read ends the watch. A
 * client that closed its end makes that read see the end of the stream. The background read gives
 * up after the socket's read timeout, which looks the same as a close: past that time (less a
 * margin) the watch no longer believes it.
 */
public final class ClientConnections implements Http1ConnectionListener {

    private static final ThreadLocal<ConnectionContext> CONNECTION = new ThreadLocal<>();
    /** Helidon's background read waits in steps of 101 ms; its last step ends the read timeout. */
    private static final long MARGIN_NANOS = Duration.ofMillis(250).toNanos();

    private final Duration readTimeout;

    public ClientConnections(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public void prologue(ConnectionContext context, HttpPrologue prologue) {
        CONNECTION.set(context);
    }

    /** The client of the request this thread is handling (its body read already), or {@link Caller#NOBODY}. */
    public Caller current() {
        ConnectionContext context = CONNECTION.get();
        if (context == null) {
            return Caller.NOBODY;
        }
        return new Watch(context.serverSocket(), readTimeout.toNanos() - MARGIN_NANOS);
    }

    private static final class Watch implements Caller {
        private final HelidonSocket socket;
        private final long believableNanos;
        private long since;

        Watch(HelidonSocket socket, long believableNanos) {
            this.socket = socket;
            this.believableNanos = believableNanos;
        }

        @Override
        public void watch() {
            if (since == 0) {
                since = System.nanoTime();
                socket.idle();
            }
        }

        @Override
        public boolean gone() {
            return since != 0 && !socket.isConnected() && System.nanoTime() - since < believableNanos;
        }
    }
}
