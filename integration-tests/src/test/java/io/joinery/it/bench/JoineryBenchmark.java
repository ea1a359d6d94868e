package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.joinery.it.support.TestDatabase;
import io.joinery.policies.Session;
import io.joinery.proxy.Sidecar;
import io.joinery.proxy.compile.SqlCompiler;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import io.joinery.proxy.engine.GraphqlRequest;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.QueryPlanner;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.sql.SqlQuery;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throughput and latency of Joinery against its floor, the same SQL sent straight through the same driver.
 *
 * <p>Run it with {@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark} (see the README). It loads the
 * benchmark dataset ({@code /bench/dataset.sql}: schema {@code bench}, 2k authors, 40k articles, 200k comments) into a
 * fresh database of the test server ({@code JOINERY_TEST_DATABASE_URL}, else an embedded PostgreSQL), or into the
 * database {@code JOINERY_BENCH_DATABASE_URL} names (its schema {@code bench} is replaced), and starts a sidecar on it.
 * Then, for each scenario, {@value #CLIENTS_DEFAULT} clients (virtual threads) send requests back to back:
 * <ul>
 * <li>{@code joinery}: GraphQL over HTTP/1.1 keep-alive ({@link HttpClient}, one client for all) to the sidecar's
 * listener;</li>
 * <li>{@code direct SQL}: the statement Joinery compiled for that query (checked against {@code explain}), bound the
 * same way and run on a pool built by the same class ({@link Database}: prepared statement cache, pipelining, session
 * defaults, same size), with nothing in between.</li>
 * </ul>
 * Each request asks for another key ({@link LoadGenerator#offset(long)}), the same sequence for both targets, so no
 * cache or merging of identical requests flatters either. Every scenario and target warms up first; then each run
 * measures every scenario on both targets, alternating which goes first; the report gives the median of the runs and
 * the ratio of the medians.
 *
 * <p>System properties (pass them to Maven as {@code -Dname=value}): {@code bench.clients} (16), {@code bench.runs} (5),
 * {@code bench.seconds} per run (3), {@code bench.warmup} seconds per scenario through Joinery, half that for direct SQL,
 * in two rounds (8), {@code bench.enforce} (false; true fails the test when Joinery is below {@value #TARGET_PERCENT}% of direct SQL's
 * throughput on the nested scenario). The whole benchmark takes about 100 seconds.
 *
 * <p>The sidecar and the load generator share one JVM, and with Postgres share the machine's cores: the HTTP client's
 * work counts against Joinery, as it would in an application that calls the sidecar.
 */
@Tag("benchmark")
class JoineryBenchmark {

    static final int CLIENTS_DEFAULT = 16;
    static final int TARGET_PERCENT = 80;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The root every scenario reads: 20 authors after a varying offset. */
    static final String AUTHORS = "author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: 20)";

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("(a) flat: 20 authors",
                    "query Flat($offset: Int!) { " + AUTHORS + " { id name email created_at } }"),
            new Scenario("(b) 20 authors x 5 articles x 3 comments",
                    "query Nested($offset: Int!) { " + AUTHORS + " { id name articles(order_by: {id: asc}, limit: 5) {"
                            + " id title rating comments(order_by: {id: asc}, limit: 3) { id body } } } }"));

    record Scenario(String name, String query) {
    }

    record Settings(int clients, int runs, Duration run, Duration warmup, boolean enforce) {
        static Settings fromSystemProperties() {
            return new Settings(Integer.getInteger("bench.clients", CLIENTS_DEFAULT), Integer.getInteger("bench.runs", 5),
                    Duration.ofMillis((long) (Double.parseDouble(System.getProperty("bench.seconds", "3")) * 1000)),
                    Duration.ofMillis((long) (Double.parseDouble(System.getProperty("bench.warmup", "8")) * 1000)),
                    Boolean.getBoolean("bench.enforce"));
        }
    }

    @Test
    void joineryAgainstDirectSql() throws Exception {
        Settings settings = Settings.fromSystemProperties();
        long begin = System.nanoTime();
        quietLogging();
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-metadata", ".yaml");
        Vertx vertx = Vertx.vertx();
        try {
            EmbeddedDatabase.execute(jdbcUrl(url), resource("/bench/dataset.sql"));
            Files.writeString(metadata, resource("/bench/metadata.yaml"));
            Map<String, String> env = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString());
            JoineryConfig config = JoineryConfig.load(env).withPorts(0, 0);
            try (Sidecar sidecar = Sidecar.start(config, env);
                 Database direct = new Database("direct", vertx, url, config.poolSize(), 1, Database.DEFAULT_STATEMENT_TIMEOUT,
                         Database.DEFAULT_CONNECTION_TIMEOUT, io.joinery.telemetry.PoolObserver.NONE, config.sessionDefaults())) {
                String server = direct.simple("SELECT version()").iterator().next().getString(0);
                System.out.printf(Locale.ROOT, "%nJoinery benchmark: %s; sidecar and load generator in one JVM, %d cores; set up in %.1f s%n",
                        server.replaceAll(" on .*", ""), Runtime.getRuntime().availableProcessors(), (System.nanoTime() - begin) / 1e9);
                Report report = measure(settings, sidecar, direct);
                System.out.print(report.render(settings));
                System.out.flush();
                if (settings.enforce()) {
                    double ratio = report.ratio(SCENARIOS.getLast());
                    assertTrue(ratio >= TARGET_PERCENT / 100.0, String.format(Locale.ROOT,
                            "Joinery reached %.0f%% of direct SQL's throughput on %s; the target is %d%%",
                            ratio * 100, SCENARIOS.getLast().name(), TARGET_PERCENT));
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    private static Report measure(Settings settings, Sidecar sidecar, Database direct) throws Exception {
        // Completions run on the client's selector thread rather than hopping to a pool thread first: measured on two
        // cores, that halves the HTTP client's CPU per request (~0.45 -> ~0.25 ms on the nested scenario), CPU the
        // load generator would otherwise take from Postgres and the sidecar. The answer is still read and checked whole.
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
            return measure(settings, sidecar, direct, http);
        }
    }

    private static Report measure(Settings settings, Sidecar sidecar, Database direct, HttpClient http) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
        Session session = Session.admin();
        Map<Scenario, Map<String, LoadGenerator.Target>> targets = new LinkedHashMap<>();
        for (Scenario scenario : SCENARIOS) {
            SqlQuery sql = compiledSql(sidecar, scenario);
            String bodyPrefix = "{\"query\":" + JSON.writeValueAsString(scenario.query()) + ",\"variables\":{\"offset\":";
            LoadGenerator.Target joinery = offset -> {
                HttpRequest request = HttpRequest.newBuilder(endpoint)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(bodyPrefix + offset + "}}"))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || !response.body().startsWith("{\"data\":{\"author\":[{")) {
                    throw new IllegalStateException("joinery answered " + response.statusCode() + ": " + response.body());
                }
            };
            LoadGenerator.Target directSql = offset -> {
                String json = direct.queryRow(sql, ParamBinder.bind(sql.params(), Map.of("offset", offset), session)).getString(0);
                if (json == null || !json.startsWith("[[")) {
                    throw new IllegalStateException("direct SQL returned " + json);
                }
            };
            assertSameAnswers(scenario, http, endpoint, bodyPrefix, direct, sql, session);
            Map<String, LoadGenerator.Target> both = new LinkedHashMap<>();
            both.put(Report.JOINERY, joinery);
            both.put(Report.DIRECT, directSql);
            targets.put(scenario, both);
        }

        LoadGenerator load = new LoadGenerator(settings.clients());
        // Two rounds over every scenario, so the code each one runs is still compiled when the first measurement starts.
        for (int round = 0; round < 2; round++) {
            for (Map<String, LoadGenerator.Target> both : targets.values()) {
                load.run(both.get(Report.JOINERY), settings.warmup().dividedBy(2));
                load.run(both.get(Report.DIRECT), settings.warmup().dividedBy(4));
            }
        }
        Report report = new Report();
        for (int run = 0; run < settings.runs(); run++) {
            for (Map.Entry<Scenario, Map<String, LoadGenerator.Target>> scenario : targets.entrySet()) {
                List<String> order = new ArrayList<>(scenario.getValue().keySet());
                if (run % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (String target : order) {
                    report.add(scenario.getKey(), target, load.run(scenario.getValue().get(target), settings.run()));
                }
            }
        }
        return report;
    }

    /** The statement Joinery runs for the scenario, compiled as the engine compiles it and checked against explain. */
    private static SqlQuery compiledSql(Sidecar sidecar, Scenario scenario) {
        OperationDefinition operation = Parser.parse(scenario.query()).getDefinitionsOfType(OperationDefinition.class).getFirst();
        QueryPlan plan = new QueryPlanner(new RoleAccess(RoleAccess.ADMIN, sidecar.engine().state().model()), Map.of(),
                Map.of("offset", 0), Set.of()).plan(operation);
        SqlQuery sql = SqlCompiler.compile(plan).statements().getFirst().sql();
        List<Map<String, Object>> explained = sidecar.engine().explain(new GraphqlRequest(scenario.query(), null, Map.of("offset", 0)),
                Session.admin());
        assertEquals(1, explained.size(), "statements explained for " + scenario.name());
        assertEquals(sql.text(), explained.getFirst().get("sql"), "the SQL of " + scenario.name() + " and what explain shows");
        return sql;
    }

    /**
     * Joinery's {@code data.author} and the direct statement's JSON are the same, for a few keys: the
     * statement gives each object as the array of its values, in the selection's order, and the sidecar
     * writes the keys (Note [Records as JSON arrays] in {@code SqlCompiler}).
     */
    private static void assertSameAnswers(Scenario scenario, HttpClient http, URI endpoint, String bodyPrefix, Database direct,
                                          SqlQuery sql, Session session) throws Exception {
        for (int offset : new int[]{0, 977, LoadGenerator.OFFSETS - 1}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodyPrefix + offset + "}}")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode viaJoinery = JSON.readTree(response.body()).path("data").path("author");
            JsonNode viaSql = JSON.readTree(direct.queryRow(sql, ParamBinder.bind(sql.params(), Map.of("offset", offset), session)).getString(0));
            assertEquals(viaSql, valuesOnly(viaJoinery), scenario.name() + " at offset " + offset + ": " + response.body());
            assertEquals(20, viaSql.size(), "authors in " + scenario.name() + " at offset " + offset);
        }
    }

    /** The answer with each object as the array of its values, in order, as the statement writes it. */
    private static JsonNode valuesOnly(JsonNode answer) {
        if (!answer.isContainerNode()) {
            return answer;
        }
        com.fasterxml.jackson.databind.node.ArrayNode values = JSON.createArrayNode();
        answer.forEach(value -> values.add(valuesOnly(value)));
        return values;
    }

    /** The measurements of every run, by scenario and target, and their rendering as a table. */
    static final class Report {
        static final String JOINERY = "joinery";
        static final String DIRECT = "direct SQL";

        private final Map<Scenario, Map<String, List<LoadGenerator.Measurement>>> runs = new LinkedHashMap<>();

        void add(Scenario scenario, String target, LoadGenerator.Measurement measurement) {
            runs.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new ArrayList<>()).add(measurement);
        }

        double ratio(Scenario scenario) {
            return median(scenario, JOINERY, LoadGenerator.Measurement::requestsPerSecond)
                    / median(scenario, DIRECT, LoadGenerator.Measurement::requestsPerSecond);
        }

        private double median(Scenario scenario, String target, java.util.function.ToDoubleFunction<LoadGenerator.Measurement> metric) {
            return median(runs.get(scenario).get(target).stream().mapToDouble(metric).toArray());
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        String render(Settings settings) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%d concurrent clients; medians of %d runs of %.0f s per scenario and target (after warm-up),"
                            + " targets alternating%n%n", settings.clients(), settings.runs(), settings.run().toMillis() / 1000.0));
            String row = "%-42s %-11s %9s %9s %9s   %s%n";
            out.append(String.format(Locale.ROOT, row, "scenario", "target", "req/s", "p50 ms", "p99 ms", "req/s of each run"));
            out.append("-".repeat(110)).append('\n');
            for (Map.Entry<Scenario, Map<String, List<LoadGenerator.Measurement>>> scenario : runs.entrySet()) {
                String name = scenario.getKey().name();
                for (Map.Entry<String, List<LoadGenerator.Measurement>> target : scenario.getValue().entrySet()) {
                    StringBuilder each = new StringBuilder();
                    target.getValue().forEach(m -> each.append(String.format(Locale.ROOT, "%.0f ", m.requestsPerSecond())));
                    out.append(String.format(Locale.ROOT, row, name, target.getKey(),
                            String.format(Locale.ROOT, "%.0f", median(scenario.getKey(), target.getKey(), LoadGenerator.Measurement::requestsPerSecond)),
                            String.format(Locale.ROOT, "%.2f", median(scenario.getKey(), target.getKey(), LoadGenerator.Measurement::p50Millis)),
                            String.format(Locale.ROOT, "%.2f", median(scenario.getKey(), target.getKey(), LoadGenerator.Measurement::p99Millis)),
                            each.toString().trim()));
                    name = "";
                }
                out.append(String.format(Locale.ROOT, "%-42s %-11s %8.0f%%%n", "", "ratio", ratio(scenario.getKey()) * 100));
            }
            out.append(String.format(Locale.ROOT, "%njoinery: GraphQL over HTTP/1.1 keep-alive to the sidecar's listener."
                    + "%ndirect SQL: the statement Joinery compiles for the query (as explain shows it), bound and run on a pool"
                    + "%n            of the same driver with the same settings (io.joinery.proxy.execute.Database), no HTTP.%n"));
            Scenario nested = SCENARIOS.getLast();
            double ratio = ratio(nested);
            out.append(String.format(Locale.ROOT, "%nTarget: Joinery >= %d%% of direct SQL throughput on %s: %.0f%% -> %s%n%n",
                    TARGET_PERCENT, nested.name(), ratio * 100, ratio >= TARGET_PERCENT / 100.0 ? "MET" : "NOT MET"));
            return out.toString();
        }
    }

    /** The start and stop lines of PostgreSQL, Helidon and the sidecar would bury the report; warnings still show. */
    private static void quietLogging() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }

    static String resource(String name) {
        try (InputStream in = JoineryBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code postgres://user[:password]@host[:port]/database[?…]} as a JDBC URL. */
    static String jdbcUrl(String url) {
        URI uri = URI.create(url);
        List<String> parameters = new ArrayList<>();
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            parameters.add("user=" + user[0]);
            if (user.length > 1) {
                parameters.add("password=" + user[1]);
            }
        }
        if (uri.getRawQuery() != null) {
            parameters.add(uri.getRawQuery());
        }
        return "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + uri.getRawPath()
                + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters));
    }
}
