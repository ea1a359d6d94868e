package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.it.support.JarProcess;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
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
 * <li>the heap and RSS the subscriptions add, per subscriber: an upper bound, since the clients (1 connection
 *     per 100 subscriptions) and the statement recorder's log of every statement share this JVM;</li>
 * <li>commit-to-delivery latency, p50 and p99 over 5 rounds of an UPDATE of every row (the target: under 2
 *     refetch intervals).</li>
 * </ul>
 * Numbers only, no timing asserts: {@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark -Dtest=LiveQueryBenchmark}
 * ({@code -Dbench.subscribers=10000} for the larger run).
 *
 * <p>{@link #heapRetainedPerSubscriber}: the same subscribers of a sidecar run as its own process
 * ({@code java -jar joinery.jar}), its heap counted by {@code jcmd GC.class_histogram} (a full GC,
 * then every live object) before and after they subscribe: the heap each subscriber retains, its
 * connection's share included, whatever the load of the machine; and the classes that hold it.
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
    void heapRetainedPerSubscriber() throws Exception {
        int subscribers = Integer.getInteger("bench.subscribers", 1000);
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Path directory = Files.createTempDirectory("joinery-live-heap");
        Path metadata = directory.resolve("metadata.yaml");
        try (var in = LiveQueryBenchmark.class.getResourceAsStream("/bench/live-metadata.yaml")) {
            Files.copy(in, metadata);
        }
        try (TestDatabase database = TestDatabase.create("bench_heap")) {
            database.execute("CREATE TABLE bench_item (id int PRIMARY KEY, value int NOT NULL);"
                    + "INSERT INTO bench_item SELECT i, 0 FROM generate_series(1, " + subscribers + ") AS i;");
            try (JarProcess sidecar = JarProcess.start(JarProcess.jar(), directory, Map.of("JOINERY_DATABASE_URL", database.url(),
                    "JOINERY_METADATA", metadata.toString(), "JOINERY_ADMIN_SECRET", TestSidecar.ADMIN_SECRET,
                    "JOINERY_MAX_SUBSCRIPTIONS", String.valueOf(subscribers + 1), "JOINERY_WEBSOCKET_MAX_QUEUED_MESSAGES", "1024"))
                    .listening().ready(java.time.Duration.ofSeconds(60))) {
                URI uri = URI.create("ws://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
                HttpClient client = HttpClient.newHttpClient();
                AtomicLongArray values = new AtomicLongArray(subscribers + 2);
                AtomicLongArray receivedAt = new AtomicLongArray(subscribers + 2);
                for (int i = 0; i < values.length(); i++) {
                    values.set(i, -1);
                }
                // a first subscriber, then gone: what the first one loads and caches (classes, the plan, the cohort's statement) is not per subscriber
                CountDownLatch warm = new CountDownLatch(1);
                WebSocket warmUp = connect(client, uri, new Receiver(values, receivedAt, warm), subscribers + 1, subscribers + 2);
                warm.await(60, TimeUnit.SECONDS);
                warmUp.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
                Thread.sleep(1500);
                Histogram before = Histogram.of(sidecar.process().pid());
                long rssBefore = rss(sidecar.process().pid());

                CountDownLatch first = new CountDownLatch(subscribers);
                List<WebSocket> sockets = new ArrayList<>();
                for (int from = 1; from <= subscribers; from += PER_CONNECTION) {
                    sockets.add(connect(client, uri, new Receiver(values, receivedAt, first), from, Math.min(subscribers + 1, from + PER_CONNECTION)));
                }
                if (!first.await(120, TimeUnit.SECONDS)) {
                    String output = sidecar.output();
                    throw new AssertionError("not every subscriber got its first result: " + first.getCount() + " missing; closed sockets: "
                            + sockets.stream().filter(WebSocket::isInputClosed).count() + "; the sidecar said: "
                            + output.substring(Math.max(0, output.length() - 3000)));
                }
                Thread.sleep(2500); // a few refetches
                Histogram after = Histogram.of(sidecar.process().pid());
                long rssAfter = rss(sidecar.process().pid());
                sockets.forEach(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join());

                System.out.printf("live queries: heap retained per subscriber, %d subscribers over %d connections, sidecar in its own process (jcmd GC.class_histogram)%n"
                        + "  %.2f KB per subscriber  (+%.1f MB live heap)%n"
                        + "  RSS: %.1f KB per subscriber  (+%.1f MB; the JVM's heap sizing included, so it depends on the GC's choices)%n"
                        + "  by class, bytes per subscriber:%n",
                        subscribers, sockets.size(), (after.total - before.total) / 1024.0 / subscribers, (after.total - before.total) / 1048576.0,
                        (rssAfter - rssBefore) / 1024.0 / subscribers, (rssAfter - rssBefore) / 1048576.0);
                after.minus(before).entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                        .forEach(entry -> System.out.printf("    %8.1f  %s%n", (double) entry.getValue() / subscribers, entry.getKey()));
            }
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
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid),
                    "GC.class_histogram").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            jcmd.waitFor();
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
        long heapBefore = heapAfterGc();
        long rssBefore = rss();
        URI uri = URI.create(sidecar.graphqlUri("/v1/graphql").toString().replace("http://", "ws://"));
        HttpClient client = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        CountDownLatch first = new CountDownLatch(subscribers);
        for (int from = 1; from <= subscribers; from += PER_CONNECTION) {
            WebSocket socket = client.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                    .buildAsync(uri, new Receiver(values, receivedAt, first)).join();
            socket.sendText("{\"type\":\"connection_init\",\"payload\":{\"headers\":{\"x-joinery-admin-secret\":\""
                    + TestSidecar.ADMIN_SECRET + "\"}}}", true).join();
            for (int id = from; id < Math.min(subscribers + 1, from + PER_CONNECTION); id++) {
                socket.sendText("{\"type\":\"subscribe\",\"id\":\"" + id + "\",\"payload\":{\"query\":"
                        + "\"subscription ($id: Int!) { bench_item_by_pk(id: $id) { id value } }\",\"variables\":{\"id\":" + id + "}}}", true).join();
            }
            sockets.add(socket);
        }
        if (!first.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("not every subscriber got its first result: " + first.getCount() + " missing");
        }
        Thread.sleep(1500);
        long heapAfter = heapAfterGc();
        long rssAfter = rss();

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
                  heap per subscriber: %.1f KB  (heap +%.1f MB after GC; an upper bound: the clients and the statement recorder's log are in it)
                  RSS per subscriber:  %.1f KB  (RSS +%.1f MB)
                  commit to delivery (5 rounds, %d deliveries of %d): p50 %.0f ms, p99 %.0f ms, max %.0f ms (target < 2000 ms)
                %n""", subscribers, sockets.size(), (double) multiplexed / Math.max(1, refetches), multiplexed, refetches, seconds, (subscribers + 99) / 100, sizes,
                100.0 * cpuTicks / ticksPerSecond / seconds,
                (heapAfter - heapBefore) / 1024.0 / subscribers, (heapAfter - heapBefore) / 1048576.0,
                (rssAfter - rssBefore) / 1024.0 / subscribers, (rssAfter - rssBefore) / 1048576.0,
                sorted.length, 5 * subscribers, percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** This process's resident set, from /proc/self/status. */
    private static long rss() throws java.io.IOException {
        return rss(ProcessHandle.current().pid());
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

    /** Records, per subscriber, the last value received and when. */
    private record Receiver(AtomicLongArray values, AtomicLongArray receivedAt, CountDownLatch first, StringBuilder text)
            implements WebSocket.Listener {
        Receiver(AtomicLongArray values, AtomicLongArray receivedAt, CountDownLatch first) {
            this(values, receivedAt, first, new StringBuilder());
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
                    int id = Integer.parseInt(message.path("id").asText());
                    long value = message.path("payload").path("data").path("bench_item_by_pk").path("value").asLong();
                    receivedAt.set(id, now);
                    if (values.getAndSet(id, value) < 0) {
                        first.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            socket.request(1);
            return null;
        }
    }
}
