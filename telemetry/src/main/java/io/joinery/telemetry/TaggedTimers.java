package io.joinery.telemetry;

import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.Timer;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The timers of one name, by the values of its tags, looked up once per combination.
 *
 * <p>Note [Timers looked up once]: Micrometer's {@link MeterProvider#withTags} builds and sorts the tags, makes
 * a meter id and finds the meter in the registry on every call; three such look-ups ran on every request
 * (the request's, its statement's and the HTTP listener's timers), a few per cent of the CPU of a one-row
 * mutation (README "Mutations"). The tags of these timers have few values (bounded by design: known roles,
 * sources, methods, statuses), so each combination's timer is kept here; past {@link #MAX_COMBINATIONS}
 * (never, unless a tag's values come from data) a timer is looked up per call as before, so the map cannot
 * grow without bound. Joinery removes no meter from its registry, so a kept timer stays the registered one.
 */
final class TaggedTimers {

    static final int MAX_COMBINATIONS = 1024;

    private final MeterProvider<Timer> provider;
    private final String[] names;
    private final ConcurrentHashMap<List<String>, Timer> timers = new ConcurrentHashMap<>();

    /** The timers of {@code provider}, tagged by {@code names} (in this order). */
    TaggedTimers(MeterProvider<Timer> provider, String... names) {
        this.provider = provider;
        this.names = names.clone();
    }

    /** The timer whose tags have {@code values}, one per name. */
    Timer with(String... values) {
        List<String> key = Arrays.asList(values);
        Timer timer = timers.get(key);
        if (timer != null) {
            return timer;
        }
        String[] tags = new String[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            tags[2 * i] = names[i];
            tags[2 * i + 1] = values[i];
        }
        timer = provider.withTags(tags);
        if (timers.size() < MAX_COMBINATIONS) {
            Timer kept = timers.putIfAbsent(key, timer);
            return kept != null ? kept : timer;
        }
        return timer;
    }
}
