package io.joinery.proxy.subscription;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Note [Slow consumers]: a client that stops reading costs at most the queue's capacity, then its connection is dropped. */
class OutboxTest {

    /** A session whose writes block until released, as a socket whose client does not read. */
    private static final class StuckSession implements WsSession {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public WsSession send(String text, boolean last) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            return this;
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            return this;
        }

        @Override
        public WsSession terminate() {
            return this;
        }

        @Override
        public SocketContext socketContext() {
            throw new UnsupportedOperationException("the outbox never asks a session for its socket context");
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedOnceItsQueueIsFull() throws InterruptedException {
        StuckSession session = new StuckSession();
        CountDownLatch dropped = new CountDownLatch(1);
        Outbox outbox = new Outbox(session, 4, dropped::countDown, () -> { });

        int accepted = 0;
        while (accepted < 100 && outbox.send("message " + accepted)) {
            accepted++;
        }

        assertTrue(accepted <= 5, "messages accepted while the client read nothing (4 queued, 1 being written): " + accepted);
        assertTrue(dropped.await(5, TimeUnit.SECONDS), "the connection is dropped");
        assertFalse(outbox.send("after"), "nothing is queued once dropped");
        session.release.countDown();
    }

    @Test
    void aClientThatReadsGetsEveryMessageInOrder() throws InterruptedException {
        StuckSession session = new StuckSession();
        session.release.countDown();
        CountDownLatch dropped = new CountDownLatch(1);
        Outbox outbox = new Outbox(session, 4, dropped::countDown, () -> { });

        for (int i = 0; i < 3; i++) {
            assertTrue(outbox.send("m" + i));
        }
        outbox.close();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (session.written.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("m0", "m1", "m2"), session.written);
        assertEquals(1, dropped.getCount(), "not dropped");
    }
}
