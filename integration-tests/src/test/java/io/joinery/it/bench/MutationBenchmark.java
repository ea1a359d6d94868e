package io.joinery.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.joinery.it.support.TestDatabase;
import io.joinery.policies.Session;
import io.joinery.proxy.Sidecar;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.compile.SqlCompiler;
import io.joinery.proxy.config.JoineryConfig;
import io.joinery.proxy.embedded.EmbeddedDatabase;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.plan.QueryPlanner;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.sql.SqlQuery;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Issue 19's benchmark: {@code insert_note_one} with its row as a variable and {@code returning}-style
 * answer, and {@code update_note_by_pk}, under {@code bench.clients} (16) clients, each beside the floor:
 * the very statement Joinery compiles for it, bound and run through the same Vert.x driver
 * ({@link Database}), alone ("direct, auto": autocommit, one round trip), as Joinery runs a request of one
 * mutation field with no check to test (Note [One write, no transaction] in {@code execute.Database}): that is
 * the floor; and, for comparison, in a transaction ("direct, tx": BEGIN, the statement, COMMIT), as Joinery
 * runs several fields or a checked one; and behind an HTTP hop ("HTTP + driver": the same request, from the same
 * client, to a Helidon route that binds its variables to the statement and runs it alone: {@link #statementServer}),
 * which pays HTTP at both ends as Joinery does, so that the difference is what Joinery's GraphQL work adds.
 *
 * <p>The two HTTP arms are loaded by {@link LeanHttpClient} on platform threads (Note [A lean load generator]), whose
 * CPU is counted apart; "joinery, JDK client" is Joinery loaded by the JDK's HttpClient, as this benchmark did before,
 * for comparison. Beside the rates, per request: the CPU of this JVM (everything in it: the sidecar, the control's
 * server, the driver, the load generator), the CPU of the lean client's threads, their difference (what the server
 * side paid: Helidon, the engine or the hand-written route, and the driver), the CPU of the machine's Postgres
 * processes, and the bytes this JVM allocated (the client's included). CPU and bytes per request move less with the
 * machine's load than rates do. Keys vary between calls. Figures are printed, never asserted; run with the other
 * benchmarks ({@code -Pbenchmark}) or alone ({@code -Pbenchmark -Dtest=MutationBenchmark}); same system properties as
 * {@link JoineryBenchmark}, and {@code bench.targets} (names, comma-separated) to run only some targets, e.g. to profile one.
 */
@Tag("benchmark")
class MutationBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String JOINERY = "joinery";
    private static final String JOINERY_JDK = "joinery, JDK client";
    private static final String DIRECT_TX = "direct, tx";
    private static final String DIRECT_AUTO = "direct, auto";
    private static final String HTTP_AUTO = "HTTP + driver";

    private record Scenario(String name, String query, String answerPrefix, IntFunction<Map<String, Object>> variables) {
        byte[] answerPrefixBytes() {
            return answerPrefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("insert_note_one (row as a variable)",
                    "mutation ($row: note_insert_input!) { insert_note_one(object: $row) { id title rating created_at } }",
                    "{\"data\":{\"insert_note_one\":{\"id\":",
                    key -> Map.of("row", Map.of("author_id", key % 200, "title", "bench " + key, "body", "a benchmark note", "rating", key % 5))),
            new Scenario("update_note_by_pk",
                    "mutation ($id: bigint!, $rating: Int!) { update_note_by_pk(pk_columns: {id: $id}, _set: {rating: $rating}) { id rating } }",
                    "{\"data\":{\"update_note_by_pk\":{\"id\":",
                    key -> Map.of("id", key + 1, "rating", key % 5)));

    @Test
    void mutationsAgainstTheirStatementsThroughTheDriver() throws Exception {
        JoineryBenchmark.Settings settings = JoineryBenchmark.Settings.fromSystemProperties();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench_mutations");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-mutations", ".yaml");
        Vertx vertx = Vertx.vertx();
        try {
            EmbeddedDatabase.execute(JoineryBenchmark.jdbcUrl(url), JoineryBenchmark.resource("/bench/mutations.sql"));
            Files.writeString(metadata, JoineryBenchmark.resource("/bench/metadata-mutations.yaml"));
            Map<String, String> env = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString());
            JoineryConfig config = JoineryConfig.load(env).withPorts(0, 0);
            try (Sidecar sidecar = Sidecar.start(config, env);
                 Database direct = new Database("direct", vertx, url, config.poolSize(), 1, Database.DEFAULT_STATEMENT_TIMEOUT,
                         Database.DEFAULT_CONNECTION_TIMEOUT, io.joinery.telemetry.PoolObserver.NONE, config.sessionDefaults());
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
                io.helidon.webserver.WebServer statements = statementServer(sidecar, direct);
                try {
                    System.out.print(measure(settings, sidecar, direct, http, statements.port()));
                    System.out.flush();
                } finally {
                    statements.stop();
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

    /**
     * The floor with the HTTP hop: a Helidon listener (the server Joinery's listener is) whose route {@code /<n>} reads the
     * request's JSON body, binds its {@code variables} to scenario n's compiled statement and runs it alone through the
     * same driver, answering the statement's JSON in {@code {"data": {field: …}}}: a hand-written endpoint for that one
     * statement, with no GraphQL. What Joinery adds to an HTTP hop is the difference.
     */
    private static io.helidon.webserver.WebServer statementServer(Sidecar sidecar, Database direct) {
        Session session = Session.admin();
        List<CompiledQuery.SourceStatement> compiled = new ArrayList<>();
        for (Scenario scenario : SCENARIOS) {
            compiled.add(compiledStatement(sidecar, scenario));
        }
        return io.helidon.webserver.WebServer.builder().host("127.0.0.1").port(0).useNio(false).routing(routing -> {
            for (int i = 0; i < compiled.size(); i++) {
                CompiledQuery.SourceStatement statement = compiled.get(i);
                routing.post("/" + i, (request, response) -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> variables = (Map<String, Object>) JSON.readValue(request.content().as(byte[].class), Map.class).get("variables");
                    String row = direct.writeAlone(statement.sql(), ParamBinder.bind(statement.sql().params(), variables, session), "$").getString(0);
                    // the answer Joinery writes: Postgres' record, named by the statement's shape
                    byte[] answer = new io.joinery.proxy.response.ResponseWriter().field(statement.roots().getFirst())
                            .result(row, statement.shapes().getFirst()).finish();
                    response.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json").send(answer);
                });
            }
        }).build().start();
    }

    private static String measure(JoineryBenchmark.Settings settings, Sidecar sidecar, Database direct, HttpClient http, int statementPort)
            throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
        Session session = Session.admin();
        LeanHttpClient joineryClient = new LeanHttpClient(sidecar.graphqlPort(), "/v1/graphql");
        List<LeanHttpClient> statementClients = new ArrayList<>();
        for (int i = 0; i < SCENARIOS.size(); i++) {
            statementClients.add(new LeanHttpClient(statementPort, "/" + i));
        }
        try {
            return measure(settings, sidecar, direct, http, endpoint, session, joineryClient, statementClients);
        } finally {
            joineryClient.close();
            statementClients.forEach(LeanHttpClient::close);
        }
    }

    private static String measure(JoineryBenchmark.Settings settings, Sidecar sidecar, Database direct, HttpClient http, URI endpoint,
                                  Session session, LeanHttpClient joineryClient, List<LeanHttpClient> statementClients) throws Exception {
        Map<Scenario, Map<String, LoadGenerator.Target>> targets = new LinkedHashMap<>();
        for (Scenario scenario : SCENARIOS) {
            SqlQuery sql = compiledSql(sidecar, scenario);
            String query = JSON.writeValueAsString(scenario.query());
            Map<String, LoadGenerator.Target> three = new LinkedHashMap<>();
            three.put(JOINERY, key -> post(joineryClient, scenario, query, key));
            three.put(HTTP_AUTO, key -> post(statementClients.get(SCENARIOS.indexOf(scenario)), scenario, query, key));
            three.put(JOINERY_JDK, key -> post(http, endpoint, scenario, query, key));
            three.put(DIRECT_TX, key -> {
                var row = direct.write(List.of(sql), List.of(ParamBinder.bind(sql.params(), scenario.variables().apply(key), session)),
                        List.of("$"), (index, written) -> { }).getFirst();
                check(row.getString(0));
            });
            three.put(DIRECT_AUTO, key -> check(direct.writeAlone(sql, ParamBinder.bind(sql.params(), scenario.variables().apply(key), session), "$")
                    .getString(0)));
            // bench.targets (comma-separated names): only those, e.g. to profile one arm
            String only = System.getProperty("bench.targets");
            if (only != null) {
                three.keySet().retainAll(List.of(only.split(",")));
            }
            targets.put(scenario, three);
        }
        LoadGenerator load = new LoadGenerator(settings.clients(), 2000);
        for (int round = 0; round < 2; round++) {
            for (Map<String, LoadGenerator.Target> three : targets.values()) {
                for (Map.Entry<String, LoadGenerator.Target> target : three.entrySet()) {
                    run(load, target.getKey(), target.getValue(), settings.warmup().dividedBy(6));
                }
            }
        }
        Map<Scenario, Map<String, List<LoadGenerator.Measurement>>> runs = new LinkedHashMap<>();
        Map<Scenario, Map<String, List<double[]>>> costs = new LinkedHashMap<>();
        for (int run = 0; run < settings.runs(); run++) {
            for (Map.Entry<Scenario, Map<String, LoadGenerator.Target>> scenario : targets.entrySet()) {
                List<String> order = new ArrayList<>(scenario.getValue().keySet());
                java.util.Collections.rotate(order, run);
                for (String target : order) {
                    long cpu = PROCESS.getProcessCpuTime();
                    long allocated = THREADS.getTotalThreadAllocatedBytes();
                    long postgres = postgresCpuNanos();
                    LoadGenerator.Measurement measured = run(load, target, scenario.getValue().get(target), settings.run());
                    runs.computeIfAbsent(scenario.getKey(), s -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new ArrayList<>())
                            .add(measured);
                    costs.computeIfAbsent(scenario.getKey(), s -> new LinkedHashMap<>()).computeIfAbsent(target, t -> new ArrayList<>())
                            .add(new double[] {(PROCESS.getProcessCpuTime() - cpu) / 1e3 / measured.requests(),
                                    (THREADS.getTotalThreadAllocatedBytes() - allocated) / 1024.0 / measured.requests(),
                                    measured.clientCpuNanos() < 0 ? Double.NaN : measured.clientCpuNanos() / 1e3 / measured.requests(),
                                    (postgresCpuNanos() - postgres) / 1e3 / measured.requests()});
                }
            }
        }
        return render(settings, runs, costs);
    }

    /** The lean client's targets run on platform threads, whose CPU is counted (Note [A lean load generator] in LeanHttpClient). */
    private static LoadGenerator.Measurement run(LoadGenerator load, String name, LoadGenerator.Target target, java.time.Duration duration)
            throws Exception {
        return name.equals(JOINERY) || name.equals(HTTP_AUTO) ? load.runOnPlatformThreads(target, duration) : load.run(target, duration);
    }

    /** The same request through the lean client. */
    private static void post(LeanHttpClient client, Scenario scenario, String query, int key) throws Exception {
        byte[] body = ("{\"query\":" + query + ",\"variables\":" + JSON.writeValueAsString(scenario.variables().apply(key)) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        LeanHttpClient.Answer answer = client.post(body);
        if (answer.status() != 200 || !answer.startsWith(scenario.answerPrefixBytes())) {
            throw new IllegalStateException("answered " + answer.status() + ": " + answer.text());
        }
    }

    /**
     * The CPU time (user and system) of every Postgres process of this machine so far, from {@code /proc}: the server the
     * benchmark's database is on when it is local (as here); 0 where there is no {@code /proc}. Its processes serve any
     * other client of that server too, so this is the benchmark's only when nothing else uses it.
     */
    private static long postgresCpuNanos() {
        long ticks = 0;
        java.io.File[] processes = new java.io.File("/proc").listFiles((directory, name) -> Character.isDigit(name.charAt(0)));
        if (processes == null) {
            return 0;
        }
        for (java.io.File process : processes) {
            try {
                String stat = Files.readString(process.toPath().resolve("stat"));
                int close = stat.lastIndexOf(')');
                if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (java.io.IOException | RuntimeException e) {
                // the process ended while it was read
            }
        }
        return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    }

    /** The scenario's request with the variables of {@code key}, as a client sends it; a wrong answer throws. */
    private static void post(HttpClient http, URI endpoint, Scenario scenario, String query, int key) throws Exception {
        String body = "{\"query\":" + query + ",\"variables\":" + JSON.writeValueAsString(scenario.variables().apply(key)) + "}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().startsWith(scenario.answerPrefix())) {
            throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** The statement's answer: the returned object as the array of its values (Note [Records as JSON arrays] in {@code SqlCompiler}). */
    private static void check(String json) {
        if (json == null || !json.startsWith("[")) {
            throw new IllegalStateException("the statement answered " + json);
        }
    }

    private static SqlQuery compiledSql(Sidecar sidecar, Scenario scenario) {
        return compiledStatement(sidecar, scenario).sql();
    }

    /** The statement the engine compiles for the scenario (no structural variable: the row is bound as one parameter). */
    private static CompiledQuery.SourceStatement compiledStatement(Sidecar sidecar, Scenario scenario) {
        OperationDefinition operation = Parser.parse(scenario.query()).getDefinitionsOfType(OperationDefinition.class).getFirst();
        CompiledQuery compiled = SqlCompiler.compile(new QueryPlanner(new RoleAccess(RoleAccess.ADMIN, sidecar.engine().state().model()), Map.of(),
                scenario.variables().apply(0), Set.of()).plan(operation));
        if (compiled.statements().size() != 1) {
            throw new IllegalStateException(scenario.name() + ": " + compiled.statements().size() + " statements");
        }
        return compiled.statements().getFirst();
    }

    private static String render(JoineryBenchmark.Settings settings, Map<Scenario, Map<String, List<LoadGenerator.Measurement>>> runs,
                                 Map<Scenario, Map<String, List<double[]>>> costs) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nMutation benchmark: %d clients, %d cores, medians of %d runs of %.0f s,"
                + " targets alternating%n", settings.clients(), Runtime.getRuntime().availableProcessors(), settings.runs(), settings.run().toMillis() / 1000.0));
        String row = "%-38s %-19s %7s %7s %7s %10s %9s %8s %9s %9s %8s %8s   %s%n";
        out.append(String.format(Locale.ROOT, row, "scenario", "target", "req/s", "p50 ms", "p99 ms", "joinery/it", "per round", "JVM CPU",
                "client", "JVM-cli", "PG CPU", "alloc", "req/s of each run"));
        out.append(String.format(Locale.ROOT, row, "", "", "", "", "", "", "", "us/req", "us/req", "us/req", "us/req", "KB/req", ""));
        for (Map.Entry<Scenario, Map<String, List<LoadGenerator.Measurement>>> scenario : runs.entrySet()) {
            String name = scenario.getKey().name();
            if (!scenario.getValue().containsKey(JOINERY)) {
                continue;
            }
            double joinery = median(scenario.getValue().get(JOINERY), LoadGenerator.Measurement::requestsPerSecond);
            Map<String, List<double[]>> cost = costs.get(scenario.getKey());
            for (Map.Entry<String, List<LoadGenerator.Measurement>> target : scenario.getValue().entrySet()) {
                double rps = median(target.getValue(), LoadGenerator.Measurement::requestsPerSecond);
                StringBuilder each = new StringBuilder();
                target.getValue().forEach(m -> each.append(String.format(Locale.ROOT, "%.0f ", m.requestsPerSecond())));
                List<double[]> costed = cost.get(target.getKey());
                double client = JoineryBenchmark.Report.median(costed.stream().mapToDouble(c -> c[2]).toArray());
                out.append(String.format(Locale.ROOT, row, name, target.getKey(), String.format(Locale.ROOT, "%.0f", rps),
                        String.format(Locale.ROOT, "%.2f", median(target.getValue(), LoadGenerator.Measurement::p50Millis)),
                        String.format(Locale.ROOT, "%.2f", median(target.getValue(), LoadGenerator.Measurement::p99Millis)),
                        target.getKey().equals(JOINERY) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * joinery / rps),
                        target.getKey().equals(JOINERY) ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * perRound(scenario.getValue().get(JOINERY),
                                target.getValue())),
                        String.format(Locale.ROOT, "%.0f", JoineryBenchmark.Report.median(costed.stream().mapToDouble(c -> c[0]).toArray())),
                        Double.isNaN(client) ? "-" : String.format(Locale.ROOT, "%.0f", client),
                        Double.isNaN(client) ? "-" : String.format(Locale.ROOT, "%.0f",
                                JoineryBenchmark.Report.median(costed.stream().mapToDouble(c -> c[0] - c[2]).toArray())),
                        String.format(Locale.ROOT, "%.0f", JoineryBenchmark.Report.median(costed.stream().mapToDouble(c -> c[3]).toArray())),
                        String.format(Locale.ROOT, "%.1f", JoineryBenchmark.Report.median(costed.stream().mapToDouble(c -> c[1]).toArray())),
                        each.toString().trim()));
                name = "";
            }
        }
        return out.append(String.format(Locale.ROOT, "Target: joinery >= %d%% of the floor (direct, auto: the same statement, alone in"
                + " autocommit, as Joinery runs it).%n%n", JoineryBenchmark.TARGET_PERCENT)).toString();
    }

    /**
     * The median over rounds of joinery's rate over the target's in the same round: the two ran seconds apart, so a
     * change in the machine's load between rounds (other builds on it) moves both.
     */
    private static double perRound(List<LoadGenerator.Measurement> joinery, List<LoadGenerator.Measurement> target) {
        double[] ratios = new double[joinery.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = joinery.get(i).requestsPerSecond() / target.get(i).requestsPerSecond();
        }
        return JoineryBenchmark.Report.median(ratios);
    }

    private static double median(List<LoadGenerator.Measurement> runs, java.util.function.ToDoubleFunction<LoadGenerator.Measurement> metric) {
        return JoineryBenchmark.Report.median(runs.stream().mapToDouble(metric).toArray());
    }
}
