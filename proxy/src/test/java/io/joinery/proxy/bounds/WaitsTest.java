package io.joinery.proxy.bounds;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A wait the thread of Waits fails to bound would hang: each test has a timeout of its own. */
@Timeout(10)
class WaitsTest {

    @Test
    void anAnswerThatComesIsReturned() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> answer.complete("rows"), CompletableFuture.delayedExecutor(30, TimeUnit.MILLISECONDS));
        assertEquals("rows", Waits.await(answer, 5_000, Waits.Check.NONE));
    }

    @Test
    void anAnswerThatDoesNotComeWithinItsBoundIsATimeout() {
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> Waits.await(new CompletableFuture<>(), 100, Waits.Check.NONE));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 100 && millis < 2_000, "the bound, within a few ticks: " + millis + " ms");
    }

    @Test
    void aWaitAfterAQuietSpellIsStillBounded() throws Exception {
        assertThrows(TimeoutException.class, () -> Waits.await(new CompletableFuture<>(), 50, Waits.Check.NONE));
        Thread.sleep(200); // nothing waits: the thread parks until the next wait wakes it
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> Waits.await(new CompletableFuture<>(), 50, Waits.Check.NONE));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "woken by the new wait");
    }

    @Test
    void aFailureTheAnswerCarriesIsItsOwn() {
        IllegalStateException failure = new IllegalStateException("connection lost");
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> Waits.await(CompletableFuture.failedFuture(failure), 1_000, Waits.Check.NONE));
        assertSame(failure, thrown.getCause());
    }

    @Test
    void aCheckRunsWhileTheAnswerIsAwaitedAndMayEndTheWait() {
        AtomicInteger checks = new AtomicInteger();
        IllegalStateException gone = new IllegalStateException("the client went away");
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> Waits.await(new CompletableFuture<>(), 10_000,
                (wait, elapsed) -> {
                    if (checks.incrementAndGet() == 3) {
                        wait.fail(gone);
                    }
                }));
        assertSame(gone, thrown.getCause());
        assertEquals(3, checks.get());
    }
}
