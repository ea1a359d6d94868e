package io.joinery.proxy;

import io.joinery.proxy.config.JoineryConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GracefulShutdownTest {

    @Test
    void aCloseThatNeverEndsIsCutOffByAHaltAfterTheGrace() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger halted = new AtomicInteger(-1);
        Runnable wedged = () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        new GracefulShutdown(wedged, Duration.ofMillis(200), halted::set).run();
        assertEquals(GracefulShutdown.HALTED, halted.get(), "the process is halted when closing hangs");
        never.countDown();
    }

    @Test
    void aCloseThatEndsInTimeDoesNotHalt() {
        AtomicInteger halted = new AtomicInteger(-1);
        AtomicInteger closed = new AtomicInteger();
        new GracefulShutdown(closed::incrementAndGet, Duration.ofSeconds(5), halted::set).run();
        assertEquals(1, closed.get());
        assertEquals(-1, halted.get(), "no halt after a clean close");
        Duration drain = JoineryConfig.load(Map.of()).lifecycle().shutdownDrain();
        Duration bound = GracefulShutdown.bound(JoineryConfig.load(Map.of()).lifecycle());
        assertTrue(drain.plus(bound).toSeconds() <= 25, "the drain and the close stay within Kubernetes' default 30 s: " + drain + " + " + bound);
    }
}
