package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.it.support.JarProcess;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live queries at scale: {@code bench.subscribers} (1,000 by default) subscribers of ONE live query
 * ({@code bench_item_by_pk(id: $id)}), each with its own {@code $id}, over connections of 100
 * subscriptions each, at the default refetch interval (1 s) and batch size (100). Prints:
 * <ul>
 * <li>multiplexed statements per refetch (counted by a {@link StatementRecorder} for 5 s with no change; the
 *     target is subscribers ÷ batch size);</li>
 * <li>Postgres CPU over those 5 s (the ticks of the database's backends, from /proc);</li>
 * <li>commit-to-delivery latency, p50 and p99 over 5 rounds of an UPDATE of every row (the target: under 2
 *     refetch intervals);</li>
 * <li>what the sidecar closed or answered with an error, if anything (a lost subscriber is named, not just missing).</li>
 * </ul>
 * The clients share this JVM with the sidecar, so its memory is not measured here but by
 * {@link #memoryPerSubscriber}. Numbers only, no timing asserts:
 * {@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark -Dtest=LiveQueryBenchmark}
 * ({@code -Dbench.subscribers=10000} for the larger run).
 *
 * <p>{@link #memoryPerSubscriber}: the sidecar run as its own process with the JVM options of the
 * launcher ({@code ./joinery --jvm-options}: a deployed sidecar's defaults and class cache, and
 * {@code MALLOC_ARENA_MAX=2}); after one subscriber came and went (idle), after {@code
 * bench.subscribers} and after twice as many: its RSS as it runs, its RSS after a full GC and its
 * live heap ({@code jcmd GC.class_histogram}), per subscriber from idle and as the slope between the
 * two counts (the cost of one more subscriber, without what the first ones cost once: compiled code,
 * the heap's growth steps); the classes that hold the heap; with {@code -Dbench.nmt=true} the
 * JVM's native memory by category ({@code -XX:NativeMemoryTracking=summary}, {@code
 * VM.native_memory summary.diff} against the idle baseline); {@code -Dbench.jvm.options="…"} adds
 * JVM options after the launcher's (as {@code JAVA_OPTS} would).
 */
@Tag("benchmark")
class LiveQueryBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PER_CONNECTION = 100;

    @Test
    void oneLiveQueryManySubscribers() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        try (TestDatabase database = TestDatabase.create("bench_live")) {
            database.execute("CREATE TABLE bench_item (id int PRIMARY KEY, value int NOT NULL);"
                    + "INSERT INTO bench_item SELECT i, 0 FROM generate_series(1, " + subscribers + ") AS i;");
            try (StatementRecorder recorder = StatementRecorder.forward(database.url());
                 TestSidecar sidecar = TestSidecar.start(recorder.url(database.url()), "/bench/live-metadata.yaml",
                         Map.of("JOINERY_MAX_SUBSCRIPTIONS", String.valueOf(subscribers), "JOINERY_WEBSOCKET_MAX_QUEUED_MESSAGES", "1024"))) {
                run(subscribers, database, recorder, sidecar);
            }
        }
    }

    @Test
    void memoryPerSubscriber() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        boolean nmt = Boolean.getBoolean("bench.nmt");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Path directory = Files.createTempDirectory("joinery-live-memory");
        Path metadata = directory.resolve("metadata.yaml");
        try (var in = LiveQueryBenchmark.class.getResourceAsStream("/bench/live-metadata.yaml")) {
            Files.copy(in, metadata);
        }
        List<String> options = new ArrayList<>(JarProcess.launcherOptions());
        if (nmt) {
            options.add("-XX:NativeMemoryTracking=summary");
        }
        String more = System.getProperty("bench.jvm.options", "").strip(); // after the launcher's, as JAVA_OPTS go
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        int warmUpId = 2 * subscribers + 1;
        try (TestDatabase database = TestDatabase.create("bench_memory")) {
            database.execute("CREATE TABLE bench_item (id int PRIMARY KEY, value int NOT NULL);"
                    + "INSERT INTO bench_item SELECT i, 0 FROM generate_series(1, " + warmUpId + ") AS i;");
            try (JarProcess sidecar = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_DATABASE_URL", database.url(),
                    "JOINERY_METADATA", metadata.toString(), "JOINERY_ADMIN_SECRET", TestSidecar.ADMIN_SECRET, "MALLOC_ARENA_MAX", "2",
                    "JOINERY_MAX_SUBSCRIPTIONS", String.valueOf(warmUpId), "JOINERY_WEBSOCKET_MAX_QUEUED_MESSAGES", "1024"), options)
                    .listening().ready(java.time.Duration.ofSeconds(60))) {
                long pid = sidecar.process().pid();
                URI uri = URI.create("ws://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
                HttpClient client = HttpClient.newHttpClient();
                AtomicLongArray values = new AtomicLongArray(warmUpId + 1);
                AtomicLongArray receivedAt = new AtomicLongArray(warmUpId + 1);
                for (int i = 0; i < values.length(); i++) {
                    values.set(i, -1);
                }
                java.util.Queue<String> closes = new java.util.concurrent.ConcurrentLinkedQueue<>();
                // a first subscriber, then gone: what the first one loads and caches (classes, the plan, the cohort's statement) is not per subscriber
                CountDownLatch warm = new CountDownLatch(1);
                WebSocket warmUp = connect(client, uri, new Receiver(values, receivedAt, warm, closes), warmUpId, warmUpId + 1);
                warm.await(60, TimeUnit.SECONDS);
                warmUp.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
                Thread.sleep(1500);
                if (nmt) {
                    jcmd(pid, "VM.native_memory", "baseline");
                }
                Snapshot idle = Snapshot.of(pid);

                List<WebSocket> sockets = new ArrayList<>();
                List<Snapshot> stages = new ArrayList<>();
                List<String> diffs = new ArrayList<>();
                for (int stage = 0; stage < 2; stage++) {
                    CountDownLatch first = new CountDownLatch(subscribers);
                    int base = stage * subscribers;
                    for (int from = base + 1; from <= base + subscribers; from += PER_CONNECTION) {
                        sockets.add(connect(client, uri, new Receiver(values, receivedAt, first, closes), from,
                                Math.min(base + subscribers + 1, from + PER_CONNECTION)));
                    }
                    if (!first.await(120, TimeUnit.SECONDS)) {
                        String output = sidecar.output();
                        throw new AssertionError("not every subscriber got its first result: " + first.getCount() + " missing; closed: "
                                + closes + "; the sidecar said: " + output.substring(Math.max(0, output.length() - 3000)));
                    }
                    Thread.sleep(2500); // a few refetches
                    stages.add(Snapshot.of(pid));
                    if (nmt) {
                        diffs.add(jcmd(pid, "VM.native_memory", "summary.diff"));
                    }
                }
                sockets.forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join());
                Snapshot one = stages.get(0);
                Snapshot two = stages.get(1);
                System.out.printf("""
                        live queries: memory of a sidecar in its own process (./joinery's JVM options: %s), subscribers over connections of %d
                          idle (after one subscriber came and went): RSS %.1f MB, %.1f MB after a full GC, live heap %.1f MB
                          %,6d subscribers: RSS %.1f MB, %.1f MB after a full GC, live heap %.1f MB
                          %,6d subscribers: RSS %.1f MB, %.1f MB after a full GC, live heap %.1f MB
                          per subscriber, from idle to %,d:      RSS %.2f KB, after a full GC %.2f KB, live heap %.2f KB
                          per subscriber, from %,d to %,d (slope): RSS %.2f KB, after a full GC %.2f KB, live heap %.2f KB
                          closed by the sidecar: %s
                          live heap by class, bytes per subscriber (%,d to %,d):
                        """, String.join(" ", options), PER_CONNECTION,
                        mb(idle.rss), mb(idle.rssAfterGc), mb(idle.histogram.total),
                        subscribers, mb(one.rss), mb(one.rssAfterGc), mb(one.histogram.total),
                        2 * subscribers, mb(two.rss), mb(two.rssAfterGc), mb(two.histogram.total),
                        subscribers, kb(one.rss - idle.rss, subscribers), kb(one.rssAfterGc - idle.rssAfterGc, subscribers),
                        kb(one.histogram.total - idle.histogram.total, subscribers),
                        subscribers, 2 * subscribers, kb(two.rss - one.rss, subscribers), kb(two.rssAfterGc - one.rssAfterGc, subscribers),
                        kb(two.histogram.total - one.histogram.total, subscribers),
                        closes.isEmpty() ? "none" : closes, subscribers, 2 * subscribers);
                two.histogram.minus(one.histogram).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                        .forEach(entry -> System.out.printf("    %8.1f  %s%n", (double) entry.getValue() / subscribers, entry.getKey()));
                for (int stage = 0; stage < diffs.size(); stage++) {
                    System.out.printf("  native memory (NMT), committed, from idle to %,d subscribers:%n", (stage + 1) * subscribers);
                    diffs.get(stage).lines().filter(line -> line.startsWith("Total") || line.startsWith("-") || line.contains("malloc:")
                                    || line.contains("mmap:") && !line.contains("("))
                            .forEach(line -> System.out.println("    " + line.strip().replaceAll("\\s+", " ")));
                }
            }
        }
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    private static double kb(long bytes, int subscribers) {
        return bytes / 1024.0 / subscribers;
    }

    /** {@code jcmd PID command...}: its output. */
    private static String jcmd(long pid, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor();
        return out;
    }

    /** A process' RSS as it runs, then its live heap by class (a full GC) and its RSS after that GC. */
    private record Snapshot(long rss, Histogram histogram, long rssAfterGc) {
        static Snapshot of(long pid) throws Exception {
            long rss = LiveQueryBenchmark.rss(pid);
            Histogram histogram = Histogram.of(pid);
            Thread.sleep(500);
            return new Snapshot(rss, histogram, LiveQueryBenchmark.rss(pid));
        }
    }

    /** A connection subscribing ids {@code from} to {@code to} (exclusive). */
    private static WebSocket connect(HttpClient client, URI uri, Receiver receiver, int from, int to) {
        WebSocket socket = client.newWebSocketBuilder().subprotocols("graphql-transport-ws").buildAsync(uri, receiver).join();
        socket.sendText("{\"type\":\"connection_init\",\"payload\":{\"headers\":{\"x-joinery-admin-secret\":\""
                + TestSidecar.ADMIN_SECRET + "\"}}}", true).join();
        for (int id = from; id < to; id++) {
            socket.sendText("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":"
                    + "\"subscription ($id: Int!) { bench_item_by_pk(id: $id) { id value } }\",\"variables\":{\"id\":" + id + "}}}", true).join();
        }
        return socket;
    }

    /** The live objects of a process by class (bytes), after the full GC {@code jcmd GC.class_histogram} makes. */
    private record Histogram(long total, Map<String, Long> bytes) {
        static Histogram of(long pid) throws Exception {
            String out = jcmd(pid, "GC.class_histogram");
            Map<String, Long> bytes = new java.util.HashMap<>();
            long total = 0;
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 4 && parts[0].endsWith(":")) {
                    bytes.merge(parts[3], Long.parseLong(parts[2]), Long::sum);
                } else if (parts.length == 3 && parts[0].equals("Total")) {
                    total = Long.parseLong(parts[2]);
                }
            }
            if (total == 0) {
                throw new AssertionError("no histogram from jcmd: " + out);
            }
            return new Histogram(total, bytes);
        }

        Map<String, Long> minus(Histogram earlier) {
            Map<String, Long> out = new java.util.HashMap<>(bytes);
            earlier.bytes.forEach((name, size) -> out.merge(name, -size, Long::sum));
            return out;
        }
    }

    private static void run(int subscribers, TestDatabase database, StatementRecorder recorder, TestSidecar sidecar) throws Exception {
        AtomicLongArray values = new AtomicLongArray(subscribers + 1);
        AtomicLongArray receivedAt = new AtomicLongArray(subscribers + 1);
        for (int i = 0; i <= subscribers; i++) {
            values.set(i, -1);
        }
        URI uri = URI.create(sidecar.graphqlUri("/v1/graphql").toString().replace("http://", "ws://"));
        HttpClient client = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        CountDownLatch first = new CountDownLatch(subscribers);
        java.util.Queue<String> closes = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int from = 1; from <= subscribers; from += PER_CONNECTION) {
            sockets.add(connect(client, uri, new Receiver(values, receivedAt, first, closes), from, Math.min(subscribers + 1, from + PER_CONNECTION)));
        }
        if (!first.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("not every subscriber got its first result: " + first.getCount() + " missing; closed: " + closes);
        }
        Thread.sleep(1500);

        long cpuBefore = postgresTicks(database);
        long start = System.nanoTime();
        int before = recorder.executions().size();
        long refetchesBefore = sidecar.sidecar().liveQueries().refetches();
        Thread.sleep(5000);
        long refetches = sidecar.sidecar().liveQueries().refetches() - refetchesBefore;
        int after = recorder.executions().size();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpuTicks = postgresTicks(database) - cpuBefore;
        List<StatementRecorder.Execution> polls = recorder.executions().subList(before, after).stream()
                .filter(execution -> execution.sql().contains("joinery_subs")).toList();
        long multiplexed = polls.size();
        Map<Integer, Long> sizes = new java.util.TreeMap<>();
        for (StatementRecorder.Execution poll : polls) {
            sizes.merge(JSON.readTree(poll.params().get(1)).size(), 1L, Long::sum);
        }

        List<Double> latencies = new ArrayList<>();
        for (int round = 1; round <= 5; round++) {
            database.execute("UPDATE bench_item SET value = " + round);
            long committed = System.nanoTime();
            long deadline = committed + TimeUnit.SECONDS.toNanos(15);
            for (int id = 1; id <= subscribers; id++) {
                while (values.get(id) < round && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                if (values.get(id) >= round) {
                    latencies.add((receivedAt.get(id) - committed) / 1e6);
                }
            }
        }
        sockets.forEach(WebSocket::abort);
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long ticksPerSecond = 100; // USER_HZ on Linux
        System.out.printf("""
                live queries: %d subscribers of one live query (different $id), %d connections, refetch 1 s, batch 100
                  multiplexed statements per refetch: %.1f  (%d statements in %d refetches, %.1f s; target %d; subscribers per statement: count %s)
                  Postgres CPU (the database's backends): %.1f%% of one core
                  commit to delivery (5 rounds, %d deliveries of %d): p50 %.0f ms, p99 %.0f ms, max %.0f ms (target < 2000 ms)
                  closed by the sidecar, or errors: %s
                %n""", subscribers, sockets.size(), (double) multiplexed / Math.max(1, refetches), multiplexed, refetches, seconds, (subscribers + 99) / 100, sizes,
                100.0 * cpuTicks / ticksPerSecond / seconds,
                sorted.length, 5 * subscribers, percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
                closes.isEmpty() ? "none" : closes);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** A process's resident set, from /proc/PID/status. */
    private static long rss(long pid) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** utime + stime of the database's backends (clock ticks), from /proc; backends that have gone are not counted. */
    private static long postgresTicks(TestDatabase database) {
        long ticks = 0;
        long backends = database.queryLong("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()");
        for (long k = 0; k < backends; k++) {
            long pid;
            try {
                pid = database.queryLong("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                        + "ORDER BY pid OFFSET " + k + " LIMIT 1");
            } catch (RuntimeException none) {
                break;
            }
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (java.io.IOException | RuntimeException gone) {
                // not local, or gone
            }
        }
        return ticks;
    }

    /** Records, per subscriber, the last value received and when; and how the sidecar closed the connection, if it did. */
    private record Receiver(AtomicLongArray values, AtomicLongArray receivedAt, CountDownLatch first, java.util.Queue<String> closes,
                            StringBuilder text) implements WebSocket.Listener {
        Receiver(AtomicLongArray values, AtomicLongArray receivedAt, CountDownLatch first, java.util.Queue<String> closes) {
            this(values, receivedAt, first, closes, new StringBuilder());
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            if (statusCode != WebSocket.NORMAL_CLOSURE) {
                closes.add(statusCode + " " + reason);
            }
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closes.add("error: " + error);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            text.append(data);
            if (!last) {
                socket.request(1);
                return null;
            }
            try {
                JsonNode message = JSON.readTree(text.toString());
                text.setLength(0);
                if (message.path("type").asText().equals("next")) {
                    if (message.path("payload").has("errors")) {
                        closes.add("errors: " + message);
                    }
                    int id = Integer.parseInt(message.path("id").asText());
                    long value = message.path("payload").path("data").path("bench_item_by_pk").path("value").asLong();
                    receivedAt.set(id, now);
                    if (values.getAndSet(id, value) < 0) {
                        first.countDown();
                    }
                } else if (!message.path("type").asText().equals("connection_ack")) {
                    closes.add("message: " + message);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            socket.request(1);
            return null;
        }
    }
}
