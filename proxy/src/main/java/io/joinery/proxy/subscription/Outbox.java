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
 */
final class Outbox {

    private static final String STOP = new String("stop");
    private static final String PING = new String("ping");

    private final WsSession session;
    private final BlockingQueue<String> queue;
    private final Runnable overflow;
    private final int capacity;
    private volatile boolean closed;

    Outbox(WsSession session, int capacity, Runnable overflow) {
        this.session = session;
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.overflow = overflow;
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
            // the connection is gone: its listener's onClose/onError ends its subscriptions
            closed = true;
        }
    }
}
