package io.joinery.proxy.subscription;

import io.helidon.websocket.WsSession;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A connection's messages on their way out, written by a thread of its own so that a slow client
 * never holds up a poll. Bounded: a client that leaves {@code capacity} messages unread is
 * dropped (Note [Slow consumers]).
 *
 * <p>Note [Slow consumers]: a live query's results are sent as they change; a client that stops
 * reading would otherwise make the sidecar buffer them without end. Its messages queue up to
 * {@link SubscriptionConfig#maxQueuedMessages()}; one more and the connection is terminated (its
 * subscriptions end), off the poller's thread. The client reconnects, and gets current results.
 *
 * <p>Note [Vanished clients]: a client that goes without a close frame (its process killed, its
 * network gone, {@code WebSocket.abort()}) makes Helidon's read of the next frame fail, and Helidon
 * 4.5 then ends the connection without telling its listener ({@code WsConnection.handle} reads the
 * frame outside the block that calls {@code onClose}/{@code onError}). Its subscriptions would be
 * polled for ever. So the writer tells the connection when a write fails ({@code gone}): the next
 * message, or the keep-alive ping at the latest (every {@link SubscriptionConfig#keepAlive()}),
 * ends them.
 */
final class Outbox {

    private static final String STOP = new String("stop");
    private static final String PING = new String("ping");

    private final WsSession session;
    private final BlockingQueue<String> queue;
    private final Runnable overflow;
    private final Runnable gone;
    private final int capacity;
    private volatile boolean closed;

    /** {@code overflow}: the client is too far behind; {@code gone}: a write failed, the client is gone (Note [Vanished clients]). */
    Outbox(WsSession session, int capacity, Runnable overflow, Runnable gone) {
        this.session = session;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.overflow = overflow;
        this.gone = gone;
        this.capacity = capacity;
        Thread.ofVirtual().name("joinery-ws-writer").start(this::write);
    }

    /** Queues a message; false (and the connection is being dropped) when the client is too far behind. */
    boolean send(String message) {
        if (closed) {
            return false;
        }
        if (queue.size() >= capacity || !queue.offer(message)) {
            closed = true;
            Thread.ofVirtual().start(overflow);
            return false;
        }
        return true;
    }

    /** A ping frame, written in turn with the messages (one writer per connection); skipped when the queue is not empty. */
    void ping() {
        if (!closed && queue.isEmpty()) {
            queue.offer(PING);
        }
    }

    /** Stops the writer once what is queued is written. */
    void close() {
        closed = true;
        queue.offer(STOP);
    }

    private void write() {
        try {
            while (true) {
                String message = queue.take();
                if (message == STOP) {
                    return;
                }
                if (message == PING) {
                    session.ping(io.helidon.common.buffers.BufferData.empty());
                    continue;
                }
                session.send(message, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
            gone.run();
        }
    }
}
