package io.joinery.proxy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminationTest {

    @Test
    void drainsForItsTimeThenClosesThenExitsZero() {
        List<String> steps = new CopyOnWriteArrayList<>();
        long[] closedAfter = new long[1];
        long begin = System.nanoTime();
        GracefulShutdown shutdown = new GracefulShutdown(() -> {
            closedAfter[0] = System.nanoTime() - begin;
            steps.add("close");
        }, Duration.ofSeconds(5), code -> steps.add("halt " + code));
        new Termination("SIGTERM", () -> steps.add("drain"), Duration.ofMillis(300), shutdown, code -> steps.add("exit " + code)).run();
        assertEquals(List.of("drain", "close", "exit 0"), steps);
        assertTrue(closedAfter[0] >= Duration.ofMillis(300).toNanos(), "closed only after the drain: " + closedAfter[0] + " ns");
    }
}
