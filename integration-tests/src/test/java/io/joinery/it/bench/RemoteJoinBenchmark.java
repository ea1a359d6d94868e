package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.Sidecar;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a remote join costs: 50 and 500 authors of the benchmark dataset, each joined to a profile from a remote GraphQL
 * API ({@code profile: profiles.profile(authorId: $id)}), through a real sidecar, a real remote ({@link ProfilesServer})
 * and Postgres.
 *
 * <p>Run with the foundation's benchmark: {@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark} (see the
 * README). For each number of rows and each number of clients, it measures two queries through Joinery, alternating
 * which goes first in each run:
 * <ul>
 * <li>{@code with remote}: {@code author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: N) { id name profile
 * { bio followers } }} — one SQL statement, then ONE batched HTTP call to the remote with N aliased {@code profile}
 * fields, stitched back into the rows;</li>
 * <li>{@code no remote}: the same query without {@code profile}: the same rows, SQL only.</li>
 * </ul>
 * Every request asks for other authors ({@link LoadGenerator#offset(long, int)}). Each request through Joinery carries an
 * id header that Joinery forwards to the remote, so each request's end-to-end latency {@code T} is paired with what the
 * remote did for it: its HTTP calls (the target is exactly one per query: the benchmark's remote schema has
 * {@code batch_size: 1000}; with the default 100, 500 rows would go in five concurrent calls) and its own time
 * {@code R} (see {@link ProfilesServer}). Then:
 * <pre>
 *   added = (T - R) - S        where S is the latency of the same rows without the remote field
 * </pre>
 * is what Joinery adds over the remote's own latency: the HTTP round trip to the remote, building the batched query,
 * reading its answer, stitching it into the rows and writing the response from the stitched tree instead of splicing
 * Postgres' JSON. Its p50 is {@code p50(T - R) - p50(S)}, its p99 {@code p99(T - R) - p99(S)}, each per run, and the
 * report gives the median over the runs. A breakdown of the means uses Joinery's own timer of the join step
 * ({@code joinery.remote.calls} on {@code /metrics}: building the query, the HTTP call, parsing and stitching the answer).
 *
 * <p>The target, one call per join level and less than {@value #TARGET_ADDED_MS} ms p50 added at 50 rows, is judged at
 * one client, where latency is the work of one request. With more clients than cores, every latency also holds the
 * time spent queueing for the two cores behind other requests (the remote runs in the same JVM and takes its share).
 *
 * <p>System properties: {@code bench.remote.clients} (comma-separated, {@code 1,16}), {@code bench.runs} (5),
 * {@code bench.remote.seconds} per run and query (2), {@code bench.remote.warmup} seconds per case (2),
 * {@code bench.enforce} (false; true fails the test when a target is missed). It takes about 100 seconds.
 */
@Tag("benchmark")
class RemoteJoinBenchmark {

    static final double TARGET_ADDED_MS = 2.0;
    static final int TARGET_ROWS = 50;
    static final int AUTHORS = 2000;
    static final int[] ROWS = {50, 500};

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String METADATA = """
            version: 1
            sources:
              - name: default
                tables:
                  - table: bench.author
                    name: author
                    remote_relationships:
                      profile:
                        remote_schema: profiles
                        remote_field: { profile: { arguments: { authorId: $id } } }
            remote_schemas:
              - name: profiles
                url: { from_env: BENCH_PROFILES_URL }
                forward_client_headers: true
                timeout_seconds: 10
                batch_size: 1000
            """;

    record Settings(List<Integer> clients, int runs, Duration run, Duration warmup, boolean enforce) {
        static Settings fromSystemProperties() {
            List<Integer> clients = Arrays.stream(System.getProperty("bench.remote.clients", "1,16").split(","))
                    .map(String::trim).map(Integer::valueOf).toList();
            return new Settings(clients, Integer.getInteger("bench.runs", 5),
                    seconds(System.getProperty("bench.remote.seconds", "2")),
                    seconds(System.getProperty("bench.remote.warmup", "2")),
                    Boolean.getBoolean("bench.enforce"));
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        }
    }

    /** One number of clients and rows. */
    record Case(int clients, int rows) {
        String withRemote() {
            return "query WithRemote($offset: Int!) { author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: " + rows
                    + ") { id name profile { bio followers } } }";
        }

        String noRemote() {
            return "query NoRemote($offset: Int!) { author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: " + rows
                    + ") { id name } }";
        }

        /** Offsets 0..AUTHORS - rows all give {@code rows} authors. */
        int keys() {
            return AUTHORS - rows + 1;
        }
    }

    @Test
    void remoteJoins() throws Exception {
        Settings settings = Settings.fromSystemProperties();
        long begin = System.nanoTime();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench_remote");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-remote", ".yaml");
        try (ProfilesServer remote = new ProfilesServer()) {
            EmbeddedDatabase.execute(JoineryBenchmark.jdbcUrl(url), JoineryBenchmark.resource("/bench/dataset.sql"));
            Files.writeString(metadata, METADATA);
            Map<String, String> env = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString(),
                    "BENCH_PROFILES_URL", remote.url());
            try (Sidecar sidecar = Sidecar.start(JoineryConfig.load(env).withPorts(0, 0), env);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
                System.out.printf(Locale.ROOT, "%nJoinery remote-join benchmark: sidecar, remote GraphQL server and load generator in one JVM,"
                        + " %d cores; set up in %.1f s%n", Runtime.getRuntime().availableProcessors(), (System.nanoTime() - begin) / 1e9);
                Bench bench = new Bench(http, sidecar, remote);
                Report report = bench.measure(settings);
                System.out.print(report.render(settings));
                System.out.flush();
                assertEquals(1.0, report.callsPerQuery(), "HTTP calls to the remote per query (one join level)");
                if (settings.enforce() && settings.clients().contains(1)) {
                    double added = report.median(new Case(1, TARGET_ROWS), Run::addedP50);
                    assertTrue(added < TARGET_ADDED_MS, String.format(Locale.ROOT,
                            "Joinery added %.2f ms p50 over the remote's own latency at %d rows; the target is < %.1f ms",
                            added, TARGET_ROWS, TARGET_ADDED_MS));
                }
            }
        } finally {
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    /** The measured run of one case: both queries' samples, and Joinery's join-step timer over the run with the remote. */
    record Run(Samples withRemote, Samples noRemote, double joinStepMeanMillis) {
        double addedP50() {
            return withRemote.percentile(Samples::localMillis, 0.50) - noRemote.percentile(Samples::totalMillis, 0.50);
        }

        double addedP99() {
            return withRemote.percentile(Samples::localMillis, 0.99) - noRemote.percentile(Samples::totalMillis, 0.99);
        }
    }

    /** Per-request samples of one run of one query: latency, and what the remote did for the request. */
    static final class Samples {
        record Sample(long totalNanos, long remoteNanos, long bodyWaitNanos, int calls, int fields) {
        }

        private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        private volatile double seconds;

        void add(long totalNanos, ProfilesServer.Work work) {
            samples.add(new Sample(totalNanos, work.nanos(), work.bodyWaitNanos(), work.calls(), work.fields()));
        }

        static double totalMillis(Sample s) {
            return s.totalNanos() / 1e6;
        }

        static double remoteMillis(Sample s) {
            return s.remoteNanos() / 1e6;
        }

        static double bodyWaitMillis(Sample s) {
            return s.bodyWaitNanos() / 1e6;
        }

        /** The request's latency without the remote's own time: T - R. */
        static double localMillis(Sample s) {
            return (s.totalNanos() - s.remoteNanos()) / 1e6;
        }

        double percentile(ToDoubleFunction<Sample> metric, double fraction) {
            double[] values = samples.stream().mapToDouble(metric).sorted().toArray();
            if (values.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(fraction * values.length) - 1;
            return values[Math.max(0, Math.min(values.length - 1, index))];
        }

        double mean(ToDoubleFunction<Sample> metric) {
            return samples.stream().mapToDouble(metric).average().orElse(Double.NaN);
        }

        int size() {
            return samples.size();
        }

        double requestsPerSecond() {
            return samples.size() / seconds;
        }

        int minCalls() {
            return samples.stream().mapToInt(Sample::calls).min().orElse(0);
        }

        int maxCalls() {
            return samples.stream().mapToInt(Sample::calls).max().orElse(0);
        }

        long calls() {
            return samples.stream().mapToLong(Sample::calls).sum();
        }

        long fields() {
            return samples.stream().mapToLong(Sample::fields).sum();
        }
    }

    /** The targets, the remote and the sidecar of one benchmark. */
    private static final class Bench {
        private final HttpClient http;
        private final URI endpoint;
        private final URI metrics;
        private final ProfilesServer remote;
        private final AtomicLong ids = new AtomicLong();

        Bench(HttpClient http, Sidecar sidecar, ProfilesServer remote) {
            this.http = http;
            this.endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
            this.metrics = URI.create("http://127.0.0.1:" + sidecar.adminPort() + "/metrics");
            this.remote = remote;
        }

        Report measure(Settings settings) throws Exception {
            List<Case> cases = new ArrayList<>();
            for (int clients : settings.clients()) {
                for (int rows : ROWS) {
                    cases.add(new Case(clients, rows));
                }
            }
            for (int rows : ROWS) {
                check(new Case(1, rows));
            }
            for (Case c : cases) {
                LoadGenerator load = new LoadGenerator(c.clients(), c.keys());
                load.run(target(c, true, new Samples()), settings.warmup());
                load.run(target(c, false, new Samples()), settings.warmup().dividedBy(2));
            }
            Report report = new Report();
            for (int run = 0; run < settings.runs(); run++) {
                for (Case c : cases) {
                    LoadGenerator load = new LoadGenerator(c.clients(), c.keys());
                    Samples withRemote = new Samples();
                    Samples noRemote = new Samples();
                    double joinStep = Double.NaN;
                    for (boolean remoteFirst : new boolean[]{run % 2 == 0, run % 2 != 0}) {
                        if (remoteFirst) {
                            double[] before = joinStepTimer();
                            withRemote.seconds = load.run(target(c, true, withRemote), settings.run()).seconds();
                            double[] after = joinStepTimer();
                            joinStep = (after[0] - before[0]) / (after[1] - before[1]) * 1000;
                        } else {
                            noRemote.seconds = load.run(target(c, false, noRemote), settings.run()).seconds();
                        }
                    }
                    report.add(c, new Run(withRemote, noRemote, joinStep));
                }
            }
            return report;
        }

        /** One request through Joinery, timed and paired with what the remote did for it. */
        private LoadGenerator.Target target(Case c, boolean withRemote, Samples samples) throws Exception {
            String prefix = "{\"query\":" + JSON.writeValueAsString(withRemote ? c.withRemote() : c.noRemote()) + ",\"variables\":{\"offset\":";
            return offset -> {
                String id = Long.toString(ids.incrementAndGet());
                long start = System.nanoTime();
                HttpResponse<String> response = post(prefix + offset + "}}", id);
                long took = System.nanoTime() - start;
                String body = response.body();
                // The last author's profile is in the answer (the stitching reached the end), and nothing failed.
                if (response.statusCode() != 200 || !body.startsWith("{\"data\":{\"author\":[{") || body.contains("\"errors\"")
                        || (withRemote && !body.contains("\"bio\":\"bio of " + (offset + c.rows()) + "\""))) {
                    throw new IllegalStateException("joinery answered " + response.statusCode() + ": " + body);
                }
                samples.add(took, remote.take(id));
            };
        }

        private HttpResponse<String> post(String body, String id) throws Exception {
            return http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header(ProfilesServer.REQUEST_HEADER, id)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Each author has its own profile, in one call resolving one field per row; without the remote field, the same rows. */
        private void check(Case c) throws Exception {
            for (int offset : new int[]{0, 977 % c.keys(), c.keys() - 1}) {
                String id = "check-" + ids.incrementAndGet();
                JsonNode joined = JSON.readTree(post("{\"query\":" + JSON.writeValueAsString(c.withRemote())
                        + ",\"variables\":{\"offset\":" + offset + "}}", id).body());
                ProfilesServer.Work work = remote.take(id);
                JsonNode authors = joined.path("data").path("author");
                assertEquals(c.rows(), authors.size(), joined.toString());
                for (JsonNode author : authors) {
                    int authorId = author.path("id").asInt();
                    assertEquals("bio of " + authorId, author.path("profile").path("bio").asText(), author.toString());
                    assertEquals(authorId * 10, author.path("profile").path("followers").asInt(), author.toString());
                    ((ObjectNode) author).remove("profile");
                }
                assertEquals(1, work.calls(), "HTTP calls to the remote for " + c.rows() + " rows");
                assertEquals(c.rows(), work.fields(), "profile fields resolved by the remote for " + c.rows() + " rows");
                JsonNode plain = JSON.readTree(post("{\"query\":" + JSON.writeValueAsString(c.noRemote())
                        + ",\"variables\":{\"offset\":" + offset + "}}", "check-" + ids.incrementAndGet()).body());
                assertEquals(plain.path("data").path("author"), authors, "the same rows with and without the remote field");
                assertTrue(joined.path("errors").isMissingNode() && plain.path("errors").isMissingNode(), joined.toString());
            }
        }

        /** Sum (seconds) and count of Joinery's {@code joinery.remote.calls} timer for the remote, from {@code /metrics}. */
        private double[] joinStepTimer() throws Exception {
            String text = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            double count = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("joinery_remote_calls_seconds_sum{") && line.contains("remote=\"profiles\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("joinery_remote_calls_seconds_count{") && line.contains("remote=\"profiles\"")) {
                    count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new double[]{sum, count};
        }
    }

    /** The runs of every case, and their rendering. */
    static final class Report {
        private final Map<Case, List<Run>> runs = new LinkedHashMap<>();

        void add(Case c, Run run) {
            runs.computeIfAbsent(c, k -> new ArrayList<>()).add(run);
        }

        double median(Case c, ToDoubleFunction<Run> metric) {
            return JoineryBenchmark.Report.median(runs.get(c).stream().mapToDouble(metric).toArray());
        }

        /** HTTP calls to the remote per query with the remote field, over every measured request. */
        double callsPerQuery() {
            long calls = 0;
            long requests = 0;
            for (List<Run> list : runs.values()) {
                for (Run run : list) {
                    calls += run.withRemote().calls();
                    requests += run.withRemote().size();
                }
            }
            return (double) calls / requests;
        }

        String render(Settings settings) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "medians of %d runs of %.0f s per case and query (after warm-up), queries alternating%n",
                    settings.runs(), settings.run().toMillis() / 1000.0));
            for (Map.Entry<Case, List<Run>> entry : runs.entrySet()) {
                Case c = entry.getKey();
                List<Run> list = entry.getValue();
                long requests = list.stream().mapToLong(r -> r.withRemote().size()).sum();
                long calls = list.stream().mapToLong(r -> r.withRemote().calls()).sum();
                long fields = list.stream().mapToLong(r -> r.withRemote().fields()).sum();
                int min = list.stream().mapToInt(r -> r.withRemote().minCalls()).min().orElse(0);
                int max = list.stream().mapToInt(r -> r.withRemote().maxCalls()).max().orElse(0);
                out.append(String.format(Locale.ROOT, "%n%d authors joined to profile(authorId: $id), %d client%s%n", c.rows(), c.clients(),
                        c.clients() == 1 ? "" : "s"));
                out.append(String.format(Locale.ROOT, "  HTTP calls to the remote per query: %s (%d calls for %d queries; %.0f profile fields per call)%n",
                        min == max ? String.valueOf(min) : min + ".." + max, calls, requests, (double) fields / Math.max(1, calls)));
                String row = "  %-52s %8s %8s %8s%n";
                out.append(String.format(Locale.ROOT, row, "", "req/s", "p50 ms", "p99 ms"));
                out.append(String.format(Locale.ROOT, row, "T   joinery, with the remote field",
                        fmt0(median(c, r -> r.withRemote().requestsPerSecond())),
                        fmt(median(c, r -> r.withRemote().percentile(Samples::totalMillis, 0.50))),
                        fmt(median(c, r -> r.withRemote().percentile(Samples::totalMillis, 0.99)))));
                out.append(String.format(Locale.ROOT, row, "S   joinery, same rows without it (SQL only)",
                        fmt0(median(c, r -> r.noRemote().requestsPerSecond())),
                        fmt(median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.50))),
                        fmt(median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.99)))));
                out.append(String.format(Locale.ROOT, row, "R   the remote's own time for the batched call", "",
                        fmt(median(c, r -> r.withRemote().percentile(Samples::remoteMillis, 0.50))),
                        fmt(median(c, r -> r.withRemote().percentile(Samples::remoteMillis, 0.99)))));
                out.append(String.format(Locale.ROOT, row, "T-R joinery without the remote's own time", "",
                        fmt(median(c, r -> r.withRemote().percentile(Samples::localMillis, 0.50))),
                        fmt(median(c, r -> r.withRemote().percentile(Samples::localMillis, 0.99)))));
                out.append(String.format(Locale.ROOT, row, "added over the remote's own: (T-R) - S", "",
                        fmt(median(c, Run::addedP50)), fmt(median(c, Run::addedP99))));
                double t = median(c, r -> r.withRemote().mean(Samples::totalMillis));
                double s = median(c, r -> r.noRemote().mean(Samples::totalMillis));
                double rr = median(c, r -> r.withRemote().mean(Samples::remoteMillis));
                double j = median(c, Run::joinStepMeanMillis);
                double wait = median(c, r -> r.withRemote().mean(Samples::bodyWaitMillis));
                out.append(String.format(Locale.ROOT, "  means: T %.2f = S %.2f + join step %.2f (remote's own %.2f + HTTP, query, stitching %.2f,"
                        + " of which the remote waited %.2f for the request body) + rest %.2f (JSON tree of the rows, response)%n",
                        t, s, j, rr, j - rr, wait, t - s - j));
            }
            out.append(String.format(Locale.ROOT, "%nT, S: end-to-end latency of a GraphQL request to the sidecar (HTTP/1.1 keep-alive)."
                    + "%nR: the remote server's time from the end of the request body to its answer's bytes (parse, validate, execute, serialise)."
                    + "%njoin step: Joinery's joinery.remote.calls timer (build the batched query, HTTP call, parse and stitch the answer).%n"));
            Case target = new Case(1, TARGET_ROWS);
            double calls = callsPerQuery();
            out.append(String.format(Locale.ROOT, "%nTarget: one HTTP call per join level: %.2f per query -> %s%n", calls, calls == 1.0 ? "MET" : "NOT MET"));
            if (runs.containsKey(target)) {
                double added = median(target, Run::addedP50);
                out.append(String.format(Locale.ROOT, "Target: < %.0f ms p50 added over the remote's own latency at %d rows (1 client): %.2f ms -> %s%n%n",
                        TARGET_ADDED_MS, TARGET_ROWS, added, added < TARGET_ADDED_MS ? "MET" : "NOT MET"));
            }
            return out.toString();
        }

        private static String fmt(double value) {
            return String.format(Locale.ROOT, "%.2f", value);
        }

        private static String fmt0(double value) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
    }
}
