package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an action joined to a table costs over its handler: an action {@code orders(offset)} whose handler (an
 * embedded Helidon server in this JVM) answers 50 objects {@code {order_id, author_id}} for authors
 * {@code offset+1 … offset+50} of the benchmark dataset, and the custom type's relationship {@code author} to
 * {@code bench.author}. Three targets, measured in the same runs, one client, the offsets varying from call to call:
 * <ul>
 * <li>{@code H}: the handler called directly, over HTTP, with the payload Joinery sends;</li>
 * <li>{@code A}: {@code orders(offset: $o) { order_id author_id }} through Joinery: the action alone;</li>
 * <li>{@code J}: {@code orders(offset: $o) { order_id author { id name } }}: the action and ONE keyed statement for the
 * 50 authors.</li>
 * </ul>
 * The report gives the medians over the runs of each target's p50 and p99, and the time added over the handler's own:
 * {@code A - H} (the action: payload, call, shaping) and {@code J - H} (and the join). Printed, not asserted.
 *
 * <p>Run with the other benchmarks ({@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark}) or alone with
 * {@code -Dtest=ActionJoinBenchmark}; {@code bench.runs}, {@code bench.seconds} and {@code bench.warmup} as for
 * {@link JoineryBenchmark}.
 */
@Tag("benchmark")
class ActionJoinBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int OBJECTS = 50;
    private static final int OFFSETS = 2000 - OBJECTS;
    private static final String HANDLER = "handler";
    private static final String ACTION = "action";
    private static final String JOINED = "action + table";

    @Test
    void anActionJoinedToATableAgainstItsHandler() throws Exception {
        JoineryBenchmark.Settings settings = JoineryBenchmark.Settings.fromSystemProperties();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench_actions");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-metadata", ".yaml");
        WebServer handler = handler();
        String handlerUrl = "http://127.0.0.1:" + handler.port() + "/orders";
        try {
            EmbeddedDatabase.execute(JoineryBenchmark.jdbcUrl(url), JoineryBenchmark.resource("/bench/dataset.sql"));
            Files.writeString(metadata, JoineryBenchmark.resource("/bench/metadata.yaml") + """
                    custom_types:
                      - definition: "type Order { order_id: Int!, author_id: Int! }"
                        relationships:
                          author: { object: bench.author, on: { author_id: id } }
                    actions:
                      - name: orders
                        kind: query
                        arguments: { offset: "Int!" }
                        output: "[Order!]!"
                        handler: { from_env: ORDERS_URL }
                    """);
            Map<String, String> env = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString(), "ORDERS_URL", handlerUrl);
            try (Sidecar sidecar = Sidecar.start(JoineryConfig.load(env).withPorts(0, 0), env);
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
                URI endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
                Map<String, LoadGenerator.Target> targets = new LinkedHashMap<>();
                targets.put(HANDLER, offset -> expect(http, URI.create(handlerUrl), "{\"action\":{\"name\":\"orders\"},\"input\":{\"offset\":"
                        + offset + "},\"session_variables\":{\"x-joinery-role\":\"admin\"},\"request_query\":\"{ orders }\"}", "[{\"order_id\""));
                targets.put(ACTION, offset -> expect(http, endpoint, "{\"query\":\"query($o: Int!) { orders(offset: $o) { order_id author_id } }\","
                        + "\"variables\":{\"o\":" + offset + "}}", "{\"data\":{\"orders\":[{\"order_id\":1,"));
                targets.put(JOINED, offset -> expect(http, endpoint, "{\"query\":\"query($o: Int!) { orders(offset: $o) { order_id author { id name } } }\","
                        + "\"variables\":{\"o\":" + offset + "}}", "{\"data\":{\"orders\":[{\"order_id\":1,\"author\":{\"id\":" + (offset + 1) + ","));
                if (Boolean.getBoolean("bench.actions.sql")) {
                    targets.put("sql", offset -> expect(http, endpoint, "{\"query\":\"query($o: Int!) { author(where: {id: {_gt: $o}}, order_by: {id: asc}, limit: 50) { id name } }\","
                            + "\"variables\":{\"o\":" + offset + "}}", "{\"data\":{\"author\":[{"));
                }
                System.out.print(measure(settings, targets));
                System.out.print(timers(http, URI.create("http://127.0.0.1:" + sidecar.adminPort() + "/metrics")));
                System.out.flush();
            }
        } finally {
            handler.stop();
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    /** The handler: 50 orders of the authors after the input's offset. */
    private static WebServer handler() {
        return WebServer.builder().host("127.0.0.1").port(0)
                .routing(r -> r.post("/orders", (req, res) -> {
                    JsonNode payload = JSON.readTree(req.content().as(String.class));
                    int offset = payload.path("input").path("offset").asInt();
                    StringBuilder out = new StringBuilder("[");
                    for (int i = 1; i <= OBJECTS; i++) {
                        out.append(i > 1 ? "," : "").append("{\"order_id\":").append(i).append(",\"author_id\":").append(offset + i).append('}');
                    }
                    res.header(HeaderNames.CONTENT_TYPE, "application/json").send(out.append(']').toString().getBytes(StandardCharsets.UTF_8));
                }))
                .build().start();
    }

    private static void expect(HttpClient http, URI uri, String body, String prefix) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().startsWith(prefix)) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String measure(JoineryBenchmark.Settings settings, Map<String, LoadGenerator.Target> targets) throws Exception {
        LoadGenerator load = new LoadGenerator(1, OFFSETS);
        for (int round = 0; round < 2; round++) {
            for (LoadGenerator.Target target : targets.values()) {
                load.run(target, settings.warmup().dividedBy(3));
            }
        }
        Map<String, List<LoadGenerator.Measurement>> runs = new LinkedHashMap<>();
        for (int run = 0; run < settings.runs(); run++) {
            List<String> order = new ArrayList<>(targets.keySet());
            Collections.rotate(order, run);
            for (String name : order) {
                runs.computeIfAbsent(name, n -> new ArrayList<>()).add(load.run(targets.get(name), settings.run()));
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%nAction benchmark: %d objects joined to bench.author, 1 client, medians of %d runs of %.0f s%n",
                OBJECTS, settings.runs(), settings.run().toMillis() / 1000.0));
        String row = "%-16s %9s %9s %9s %16s%n";
        out.append(String.format(Locale.ROOT, row, "target", "req/s", "p50 ms", "p99 ms", "p50 added (ms)"));
        double handlerP50 = median(runs.get(HANDLER), LoadGenerator.Measurement::p50Millis);
        for (Map.Entry<String, List<LoadGenerator.Measurement>> target : runs.entrySet()) {
            double p50 = median(target.getValue(), LoadGenerator.Measurement::p50Millis);
            out.append(String.format(Locale.ROOT, row, target.getKey(),
                    String.format(Locale.ROOT, "%.0f", median(target.getValue(), LoadGenerator.Measurement::requestsPerSecond)),
                    String.format(Locale.ROOT, "%.2f", p50),
                    String.format(Locale.ROOT, "%.2f", median(target.getValue(), LoadGenerator.Measurement::p99Millis)),
                    target.getKey().equals(HANDLER) ? "-" : String.format(Locale.ROOT, "%.2f", p50 - handlerP50)));
        }
        return out.append('\n').toString();
    }

    /** The mean of Joinery's own timers over the whole benchmark: the handler calls, the table join's calls, all statements. */
    private static String timers(HttpClient http, URI metrics) throws Exception {
        String text = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        StringBuilder out = new StringBuilder("Joinery's timers (mean over the benchmark, warm-up included):\n");
        for (String timer : List.of("joinery_action_calls_seconds", "joinery_join_calls_seconds", "joinery_db_query_seconds")) {
            double sum = 0;
            double count = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(timer + "_sum{")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith(timer + "_count{")) {
                    count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            out.append(String.format(Locale.ROOT, "  %-30s %8.0f calls, mean %.3f ms%n", timer, count, count == 0 ? 0 : 1000 * sum / count));
        }
        return out.append('\n').toString();
    }

    private static double median(List<LoadGenerator.Measurement> runs, java.util.function.ToDoubleFunction<LoadGenerator.Measurement> metric) {
        return JoineryBenchmark.Report.median(runs.stream().mapToDouble(metric).toArray());
    }
}
