package io.joinery.telemetry;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Note [Timers looked up once]: what is recorded lands on the registry's timer of those tags, within the bound and past it. */
class TaggedTimersTest {

    @Test
    void recordsOnTheRegisteredTimerOfTheTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TaggedTimers timers = new TaggedTimers(Timer.builder("test.calls").withRegistry(registry), "source", "outcome");
        timers.with("default", "success").record(1, TimeUnit.MILLISECONDS);
        timers.with("default", "success").record(1, TimeUnit.MILLISECONDS);
        timers.with("default", "error").record(1, TimeUnit.MILLISECONDS);
        assertEquals(2, registry.get("test.calls").tags("source", "default", "outcome", "success").timer().count());
        assertEquals(1, registry.get("test.calls").tags("source", "default", "outcome", "error").timer().count());
    }

    @Test
    void combinationsPastTheBoundStillRecord() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TaggedTimers timers = new TaggedTimers(Timer.builder("test.calls").withRegistry(registry), "status");
        for (int i = 0; i <= TaggedTimers.MAX_COMBINATIONS; i++) {
            timers.with(Integer.toString(i)).record(1, TimeUnit.MILLISECONDS);
        }
        timers.with("past").record(1, TimeUnit.MILLISECONDS);
        timers.with("past").record(1, TimeUnit.MILLISECONDS);
        assertEquals(2, registry.get("test.calls").tags("status", "past").timer().count());
        assertEquals(TaggedTimers.MAX_COMBINATIONS + 2, registry.get("test.calls").timers().size());
    }
}
