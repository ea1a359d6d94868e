package io.joinery.it.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load generator: {@code clients} virtual threads each call one {@link Target} back to back until the
 * time is up, and every call's latency is recorded. The keys vary between calls: the n-th call of a run (over all
 * clients) asks for {@link #offset(long, int)} of n, so two targets measured with the same number of calls see the same keys.
 */
final class LoadGenerator {

    /** One request: {@code offset} is the key that varies; a wrong answer throws. */
    @FunctionalInterface
    interface Target {
        void call(int offset) throws Exception;
    }

    /**
     * One run of one target: completed calls, wall time, latency percentiles in milliseconds, and the CPU time of the
     * clients' threads in nanoseconds ({@link #runOnPlatformThreads}; -1 on virtual threads, whose CPU is not counted).
     */
    record Measurement(long requests, double seconds, double p50Millis, double p99Millis, long clientCpuNanos) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    /** Authors have ids 1..2000 and the queries read 20 of them after {@code offset}: offsets 0..1979 all give 20 rows. */
    static final int OFFSETS = 1980;

    private final int clients;
    private final int keys;

    LoadGenerator(int clients) {
        this(clients, OFFSETS);
    }

    /** Calls get offsets 0..{@code keys - 1}. */
    LoadGenerator(int clients, int keys) {
        this.clients = clients;
        this.keys = keys;
    }

    /** Spreads consecutive calls over the whole key range (7919 is prime, so every offset comes up once per 1980 calls). */
    static int offset(long call) {
        return offset(call, OFFSETS);
    }

    /** The same over offsets 0..{@code keys - 1}: each comes up once per {@code keys} calls when 7919 does not divide it. */
    static int offset(long call, int keys) {
        return (int) ((call * 7919L) % keys);
    }

    /** A run with one virtual thread per client. */
    Measurement run(Target target, Duration duration) throws Exception {
        return run(target, duration, Executors.newVirtualThreadPerTaskExecutor(), false);
    }

    /**
     * A run with one platform thread per client, each counting its own CPU time (Note [A lean load generator] in
     * {@link LeanHttpClient}: a client that blocks on a socket needs no virtual thread, and so its cost can be given apart).
     */
    Measurement runOnPlatformThreads(Target target, Duration duration) throws Exception {
        return run(target, duration, Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory()), true);
    }

    private Measurement run(Target target, Duration duration, ExecutorService executor, boolean counted) throws Exception {
        AtomicLong calls = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Future<long[]>> latencies = new ArrayList<>(clients);
        try (ExecutorService threads = executor) {
            for (int i = 0; i < clients; i++) {
                latencies.add(threads.submit(() -> {
                    long before = counted ? THREADS.getCurrentThreadCpuTime() : 0;
                    try {
                        return client(target, calls, deadline, keys);
                    } finally {
                        if (counted) {
                            cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - before);
                        }
                    }
                }));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = 0;
        for (Future<long[]> client : latencies) {
            total += client.get().length;
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (Future<long[]> client : latencies) {
            long[] one = client.get();
            System.arraycopy(one, 0, all, at, one.length);
            at += one.length;
        }
        Arrays.sort(all);
        return new Measurement(total, seconds, percentile(all, 0.50), percentile(all, 0.99), counted ? cpu.get() : -1);
    }

    /** Calls until the deadline; returns the latency of each call in nanoseconds. A failed call fails the run. */
    private static long[] client(Target target, AtomicLong calls, long deadline, int keys) throws Exception {
        long[] latencies = new long[4096];
        int count = 0;
        while (true) {
            long begin = System.nanoTime();
            if (begin >= deadline) {
                return Arrays.copyOf(latencies, count);
            }
            target.call(offset(calls.getAndIncrement(), keys));
            long took = System.nanoTime() - begin;
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = took;
        }
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
