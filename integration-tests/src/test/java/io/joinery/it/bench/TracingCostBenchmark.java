package io.joinery.it.bench;

import com.sun.net.httpserver.HttpServer;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.Sidecar;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tracing costs: the same queries through two sidecars on the same database and remote, one exporting every
 * span (sampling at 100%, the SDK's default) over OTLP/HTTP to a receiver in this JVM, one with no {@code OTEL_*}
 * variable (spans not recorded, see Note [Traces when nothing is exported] in {@code Telemetry}). The queries:
 * <ul>
 * <li>{@code Q2}: the foundation benchmark's nested query (20 authors x 5 articles x 3 comments), one SQL statement;</li>
 * <li>{@code join}: 20 authors with a remote join in the list-argument form to {@link ProfilesServer}: a statement, a
 * join level, a join and its HTTP call.</li>
 * </ul>
 * Each run measures both sidecars on both queries, alternating which goes first; the report gives the median
 * throughput of each and the cost, {@code 1 - traced / untraced}, and the JVM's CPU time and heap allocation per
 * request of each ({@link ProcessCost}: they include the receiver's work, and change much less than throughput when
 * the machine is busy). The target is less than 5% at 100% sampling.
 *
 * <p>Run with the other benchmarks ({@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark}) or alone
 * ({@code -Pbenchmark -Dtest=TracingCostBenchmark}). System properties: {@code bench.clients} (16),
 * {@code bench.runs} (5), {@code bench.seconds} per run (3), {@code bench.warmup} seconds per target (5). The two
 * sidecars, the remote, the receiver and the load generator share the JVM and the machine's cores: on a busy
 * machine the numbers say little.
 */
@Tag("benchmark")
class TracingCostBenchmark {

    @Test
    void tracingCost() throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        int runs = Integer.getInteger("bench.runs", 5);
        Duration run = Duration.ofMillis((long) (Double.parseDouble(System.getProperty("bench.seconds", "3")) * 1000));
        Duration warmup = Duration.ofMillis((long) (Double.parseDouble(System.getProperty("bench.warmup", "5")) * 1000));
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench_tracing");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-tracing", ".yaml");
        AtomicLong exports = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exports.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (ProfilesServer remote = new ProfilesServer()) {
            EmbeddedDatabase.execute(JoineryBenchmark.jdbcUrl(url), JoineryBenchmark.resource("/bench/dataset.sql"));
            Files.writeString(metadata, joinedMetadata());
            Map<String, String> untracedEnv = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString(),
                    "BENCH_PROFILES_URL", remote.url());
            Map<String, String> tracedEnv = new HashMap<>(untracedEnv);
            tracedEnv.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces");
            try (Sidecar untraced = Sidecar.start(JoineryConfig.load(untracedEnv).withPorts(0, 0), untracedEnv);
                 Sidecar traced = Sidecar.start(JoineryConfig.load(tracedEnv).withPorts(0, 0), tracedEnv);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                List<String> queries = List.of(JoineryBenchmark.SCENARIOS.get(1).query(),
                        "query Joined($offset: Int!) { " + JoineryBenchmark.AUTHORS + " { id name profileList { bio followers } } }");
                List<String> names = List.of("Q2 (20 x 5 x 3, SQL only)", "join (20 authors, list-argument remote join)");
                LoadGenerator load = new LoadGenerator(clients);
                Map<String, List<Double>> throughput = new HashMap<>();
                Map<String, List<ProcessCost>> costs = new HashMap<>();
                for (int q = 0; q < queries.size(); q++) {
                    load.run(target(http, untraced, queries.get(q)), warmup);
                    load.run(target(http, traced, queries.get(q)), warmup);
                }
                for (int r = 0; r < runs; r++) {
                    for (int q = 0; q < queries.size(); q++) {
                        boolean tracedFirst = r % 2 == 1;
                        for (boolean tracing : tracedFirst ? new boolean[]{true, false} : new boolean[]{false, true}) {
                            LoadGenerator.Target target = target(http, tracing ? traced : untraced, queries.get(q));
                            ProcessCost.Costed m = ProcessCost.of(() -> load.run(target, run));
                            throughput.computeIfAbsent(q + (tracing ? ":on" : ":off"), k -> new ArrayList<>()).add(m.measurement().requestsPerSecond());
                            costs.computeIfAbsent(q + (tracing ? ":on" : ":off"), k -> new ArrayList<>()).add(m.cost());
                        }
                    }
                }
                StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                        "%nTracing cost: %d clients, %d runs of %s s, %d cores; traced sidecar exports every span to a receiver in this JVM%n",
                        clients, runs, run.toMillis() / 1000.0, Runtime.getRuntime().availableProcessors()));
                report.append(String.format(Locale.ROOT, "%-48s %12s %12s %8s %14s %14s %12s%n", "query", "off (req/s)", "on (req/s)", "cost",
                        "CPU us/req off", "CPU us/req on", "KB/req off/on"));
                for (int q = 0; q < queries.size(); q++) {
                    double off = median(throughput.get(q + ":off"));
                    double on = median(throughput.get(q + ":on"));
                    report.append(String.format(Locale.ROOT, "%-48s %12.0f %12.0f %7.1f%% %14.0f %14.0f %6.1f/%.1f%n", names.get(q), off, on,
                            (1 - on / off) * 100, medianOf(costs.get(q + ":off"), ProcessCost::cpuMicrosPerRequest),
                            medianOf(costs.get(q + ":on"), ProcessCost::cpuMicrosPerRequest),
                            medianOf(costs.get(q + ":off"), ProcessCost::kilobytesPerRequest), medianOf(costs.get(q + ":on"), ProcessCost::kilobytesPerRequest)));
                }
                report.append(String.format(Locale.ROOT, "OTLP export requests received: %d%n", exports.get()));
                System.out.print(report);
                System.out.flush();
                assertTrue(exports.get() > 0, "the traced sidecar exported spans");
            }
        } finally {
            receiver.stop(0);
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    /** The foundation benchmark's metadata, the author table joined to the remote's profiles by a list argument. */
    private static String joinedMetadata() {
        String base = JoineryBenchmark.resource("/bench/metadata.yaml");
        int at = base.indexOf("        name: author\n") + "        name: author\n".length();
        return base.substring(0, at) + """
                        remote_relationships:
                          profileList:
                            remote_schema: profiles
                            batch: { field: profiles, arguments: { authorIds: $id }, key: { authorId: id } }
                """ + base.substring(at) + """
                remote_schemas:
                  - name: profiles
                    url: { from_env: BENCH_PROFILES_URL }
                    timeout_seconds: 10
                """;
    }

    private static LoadGenerator.Target target(HttpClient http, Sidecar sidecar, String query) {
        URI endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
        String prefix = "{\"query\":" + quote(query) + ",\"variables\":{\"offset\":";
        return offset -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(prefix + offset + "}}")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"errors\"")) {
                throw new IllegalStateException("joinery answered " + response.statusCode() + ": " + response.body());
            }
        };
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static double medianOf(List<ProcessCost> costs, java.util.function.ToDoubleFunction<ProcessCost> metric) {
        return median(costs.stream().map(metric::applyAsDouble).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
