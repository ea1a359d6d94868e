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
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a remote join costs, in each of its three forms: 50 and 500 authors of the benchmark dataset, each joined to a
 * profile from a remote GraphQL API, through a real sidecar, a real remote ({@link ProfilesServer}, which is also an
 * Apollo Federation subgraph) and Postgres. The three relationships of the author table differ only in how the keys
 * of the rows reach the remote:
 * <ul>
 * <li>{@code profile}, per key: ONE HTTP call with one aliased field per key ({@code f0: profile(authorId: 1) …}), so
 * the remote runs its {@code profile} resolver N times;</li>
 * <li>{@code profileList}, list argument: ONE call to {@code profiles(authorIds: [1, 2, …])}, one resolver invocation;</li>
 * <li>{@code profileEntity}, Federation: ONE call to {@code _entities(representations: [{__typename: "Profile",
 * authorId: 1}, …])}, one resolver invocation.</li>
 * </ul>
 *
 * <p>Run with the foundation's benchmark: {@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark} (see the
 * README). For each number of rows and each number of clients, it measures, in one run, the query through Joinery with
 * each form's field and without any remote field, rotating which goes first from run to run:
 * <ul>
 * <li>{@code T}, with a remote field: {@code author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: N) { id
 * name profile { bio followers } }} (or {@code profileList}, {@code profileEntity}) — one SQL statement, then ONE HTTP
 * call to the remote, stitched back into the rows;</li>
 * <li>{@code S}, no remote: the same query without the remote field: the same rows, SQL only.</li>
 * </ul>
 * Every request asks for other authors ({@link LoadGenerator#offset(long, int)}). Each request through Joinery carries an
 * id header that Joinery forwards to the remote, so each request's end-to-end latency {@code T} is paired with what the
 * remote did for it: its HTTP calls (the target is exactly one per query: the benchmark's remote schema has
 * {@code batch_size: 1000}; with the default 100, 500 rows would go in five concurrent calls), its root resolver
 * invocations and the keys they were given, and its own time {@code R} (see {@link ProfilesServer}). Then:
 * <pre>
 *   added = (T - R) - S        where S is the latency of the same rows without the remote field
 * </pre>
 * is what Joinery adds over the remote's own latency: the HTTP round trip to the remote, building the remote query,
 * reading its answer, stitching it into the rows and writing the response from the stitched tree instead of splicing
 * Postgres' JSON. Its p50 is {@code p50(T - R) - p50(S)}, its p99 {@code p99(T - R) - p99(S)}, each per run, and the
 * report gives the median over the runs. A breakdown of the means uses Joinery's own timer of the join step
 * ({@code joinery.join.calls} on {@code /metrics}: building the query, the HTTP call, parsing and stitching the answer).
 *
 * <p>The targets, one call per join level for every form and less than {@value #TARGET_ADDED_MS} ms p50 added at 50
 * rows, are judged at one client, where latency is the work of one request. With more clients than cores, every
 * latency also holds the time spent queueing for the two cores behind other requests (the remote runs in the same JVM
 * and takes its share).
 *
 * <p>System properties: {@code bench.remote.clients} (comma-separated, {@code 1,16}: the per-key form's numbers of
 * clients), {@code bench.remote.batch.clients} ({@code 1}: the list-argument and {@code _entities} forms'),
 * {@code bench.runs} (5), {@code bench.remote.seconds} per run and query (2), {@code bench.remote.warmup} seconds per
 * case and form (2), {@code bench.enforce} (false; true fails the test when a target is missed). It takes about
 * 150 seconds.
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
                      profileList:
                        remote_schema: profiles
                        batch: { field: profiles, arguments: { authorIds: $id }, key: { authorId: id } }
                      profileEntity:
                        remote_schema: profiles
                        federation: { type: Profile, key: { authorId: id } }
            remote_schemas:
              - name: profiles
                url: { from_env: BENCH_PROFILES_URL }
                forward_client_headers: true
                timeout_seconds: 10
                batch_size: 1000
            """;

    /** The three forms of the same join: the author table's relationship, and what the remote runs for N keys. */
    enum Form {
        PER_KEY("profile", "per-key aliases", "profile(authorId:) x N"),
        LIST("profileList", "list argument", "profiles(authorIds: [N])"),
        ENTITIES("profileEntity", "_entities", "_entities(N representations)");

        final String field;
        final String label;
        final String remote;

        Form(String field, String label, String remote) {
            this.field = field;
            this.label = label;
            this.remote = remote;
        }

        /** Root resolver invocations inside the remote for {@code rows} distinct keys. */
        int expectedResolvers(int rows) {
            return this == PER_KEY ? rows : 1;
        }
    }

    record Settings(List<Integer> clients, List<Integer> batchClients, int runs, Duration run, Duration warmup, boolean enforce) {
        static Settings fromSystemProperties() {
            return new Settings(ints(System.getProperty("bench.remote.clients", "1,16")),
                    ints(System.getProperty("bench.remote.batch.clients", "1")),
                    Integer.getInteger("bench.runs", 5),
                    seconds(System.getProperty("bench.remote.seconds", "2")),
                    seconds(System.getProperty("bench.remote.warmup", "2")),
                    Boolean.getBoolean("bench.enforce"));
        }

        /** The forms measured at {@code clients}. */
        List<Form> forms(int clients) {
            List<Form> forms = new ArrayList<>();
            if (this.clients.contains(clients)) {
                forms.add(Form.PER_KEY);
            }
            if (batchClients.contains(clients)) {
                forms.add(Form.LIST);
                forms.add(Form.ENTITIES);
            }
            return forms;
        }

        private static List<Integer> ints(String list) {
            return list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis((long) (Double.parseDouble(value) * 1000));
        }
    }

    /** One number of clients and rows. */
    record Case(int clients, int rows) {
        /** The query with {@code form}'s remote field; {@code null}: without any remote field. */
        String query(Form form) {
            return form == null
                    ? "query NoRemote($offset: Int!) { author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: " + rows
                    + ") { id name } }"
                    : "query WithRemote($offset: Int!) { author(where: {id: {_gt: $offset}}, order_by: {id: asc}, limit: " + rows
                    + ") { id name " + form.field + " { bio followers } } }";
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
                System.out.printf(Locale.ROOT, "%nJoinery remote-join benchmark: sidecar, remote GraphQL server (also a Federation subgraph)"
                        + " and load generator in one JVM, %d cores; set up in %.1f s%n",
                        Runtime.getRuntime().availableProcessors(), (System.nanoTime() - begin) / 1e9);
                Bench bench = new Bench(http, sidecar, remote);
                Report report = bench.measure(settings);
                System.out.print(report.render(settings));
                System.out.flush();
                for (Form form : report.forms()) {
                    assertEquals(1.0, report.callsPerQuery(form), "HTTP calls to the remote per query (one join level), " + form.label);
                }
                Case target = new Case(1, TARGET_ROWS);
                if (settings.enforce() && report.runs.containsKey(target)) {
                    for (Form form : report.forms.get(target)) {
                        double added = report.median(target, r -> r.addedP50(form));
                        assertTrue(added < TARGET_ADDED_MS, String.format(Locale.ROOT,
                                "Joinery added %.2f ms p50 over the remote's own latency at %d rows (%s); the target is < %.1f ms",
                                added, TARGET_ROWS, form.label, TARGET_ADDED_MS));
                    }
                }
            }
        } finally {
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    /**
     * The measured run of one case: each form's samples, the samples without a remote field, and Joinery's join-step
     * timer over each form's run.
     */
    record Run(Map<Form, Samples> withRemote, Samples noRemote, Map<Form, Double> joinStepMeanMillis) {
        Samples with(Form form) {
            return withRemote.get(form);
        }

        double joinStep(Form form) {
            return joinStepMeanMillis.get(form);
        }

        double addedP50(Form form) {
            return with(form).percentile(Samples::localMillis, 0.50) - noRemote.percentile(Samples::totalMillis, 0.50);
        }

        double addedP99(Form form) {
            return with(form).percentile(Samples::localMillis, 0.99) - noRemote.percentile(Samples::totalMillis, 0.99);
        }
    }

    /** Per-request samples of one run of one query: latency, and what the remote did for the request. */
    static final class Samples {
        record Sample(long totalNanos, long remoteNanos, long bodyWaitNanos, int calls, int resolvers, int keys, long requestBytes) {
        }

        private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        private volatile double seconds;

        void add(long totalNanos, ProfilesServer.Work work) {
            samples.add(new Sample(totalNanos, work.nanos(), work.bodyWaitNanos(), work.calls(), work.resolvers(), work.keys(),
                    work.requestBytes()));
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

        /** The distinct values of {@code metric} over the run's requests (calls or resolver invocations per query). */
        TreeSet<Integer> distinct(ToIntFunction<Sample> metric) {
            TreeSet<Integer> values = new TreeSet<>();
            synchronized (samples) {
                samples.forEach(s -> values.add(metric.applyAsInt(s)));
            }
            return values;
        }

        long sum(ToIntFunction<Sample> metric) {
            return samples.stream().mapToLong(metric::applyAsInt).sum();
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
            Report report = new Report();
            List<Case> cases = new ArrayList<>();
            for (int clients : new TreeSet<>(concat(settings.clients(), settings.batchClients()))) {
                for (int rows : ROWS) {
                    Case c = new Case(clients, rows);
                    cases.add(c);
                    report.forms.put(c, settings.forms(clients));
                }
            }
            for (int rows : ROWS) {
                for (Form form : Form.values()) {
                    check(new Case(1, rows), form);
                }
            }
            for (Case c : cases) {
                LoadGenerator load = new LoadGenerator(c.clients(), c.keys());
                for (Form form : report.forms.get(c)) {
                    load.run(target(c, form, new Samples()), settings.warmup());
                }
                load.run(target(c, null, new Samples()), settings.warmup().dividedBy(2));
            }
            for (int run = 0; run < settings.runs(); run++) {
                for (Case c : cases) {
                    LoadGenerator load = new LoadGenerator(c.clients(), c.keys());
                    // The queries of the case, without a remote field (null) and with each form's, rotated by the run.
                    List<Form> order = new ArrayList<>();
                    order.add(null);
                    order.addAll(report.forms.get(c));
                    Collections.rotate(order, -(run % order.size()));
                    Map<Form, Samples> withRemote = new EnumMap<>(Form.class);
                    Map<Form, Double> joinStep = new EnumMap<>(Form.class);
                    Samples noRemote = new Samples();
                    for (Form form : order) {
                        if (form == null) {
                            noRemote.seconds = load.run(target(c, null, noRemote), settings.run()).seconds();
                        } else {
                            Samples samples = new Samples();
                            double[] before = joinStepTimer();
                            samples.seconds = load.run(target(c, form, samples), settings.run()).seconds();
                            double[] after = joinStepTimer();
                            withRemote.put(form, samples);
                            joinStep.put(form, (after[0] - before[0]) / (after[1] - before[1]) * 1000);
                        }
                    }
                    report.add(c, new Run(withRemote, noRemote, joinStep));
                }
            }
            return report;
        }

        private static List<Integer> concat(List<Integer> a, List<Integer> b) {
            List<Integer> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        /** One request through Joinery, timed and paired with what the remote did for it. */
        private LoadGenerator.Target target(Case c, Form form, Samples samples) throws Exception {
            String prefix = "{\"query\":" + JSON.writeValueAsString(c.query(form)) + ",\"variables\":{\"offset\":";
            return offset -> {
                String id = Long.toString(ids.incrementAndGet());
                long start = System.nanoTime();
                HttpResponse<String> response = post(prefix + offset + "}}", id);
                long took = System.nanoTime() - start;
                String body = response.body();
                // The last author's profile is in the answer (the stitching reached the end), and nothing failed.
                if (response.statusCode() != 200 || !body.startsWith("{\"data\":{\"author\":[{") || body.contains("\"errors\"")
                        || (form != null && !body.contains("\"bio\":\"bio of " + (offset + c.rows()) + "\""))) {
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

        /**
         * Each author has its own profile, in one call whose root resolvers ran once per key (per key) or once (list,
         * {@code _entities}) and were given every key; without the remote field, the same rows.
         */
        private void check(Case c, Form form) throws Exception {
            for (int offset : new int[]{0, 977 % c.keys(), c.keys() - 1}) {
                String id = "check-" + ids.incrementAndGet();
                JsonNode joined = JSON.readTree(post("{\"query\":" + JSON.writeValueAsString(c.query(form))
                        + ",\"variables\":{\"offset\":" + offset + "}}", id).body());
                ProfilesServer.Work work = remote.take(id);
                assertTrue(joined.path("errors").isMissingNode(), joined.toString());
                JsonNode authors = joined.path("data").path("author");
                assertEquals(c.rows(), authors.size(), joined.toString());
                for (JsonNode author : authors) {
                    int authorId = author.path("id").asInt();
                    JsonNode profile = author.path(form.field);
                    assertEquals("bio of " + authorId, profile.path("bio").asText(), author.toString());
                    assertEquals(authorId * 10, profile.path("followers").asInt(), author.toString());
                    assertEquals(List.of("bio", "followers"), List.copyOf(toList(profile.fieldNames())), "no phantom key field: " + author);
                    ((ObjectNode) author).remove(form.field);
                }
                assertEquals(1, work.calls(), "HTTP calls to the remote for " + c.rows() + " rows, " + form.label);
                assertEquals(form.expectedResolvers(c.rows()), work.resolvers(),
                        "root resolver invocations in the remote for " + c.rows() + " rows, " + form.label);
                assertEquals(c.rows(), work.keys(), "keys given to the remote's resolvers for " + c.rows() + " rows, " + form.label);
                JsonNode plain = JSON.readTree(post("{\"query\":" + JSON.writeValueAsString(c.query(null))
                        + ",\"variables\":{\"offset\":" + offset + "}}", "check-" + ids.incrementAndGet()).body());
                assertEquals(plain.path("data").path("author"), authors, "the same rows with and without the remote field");
                assertTrue(plain.path("errors").isMissingNode(), plain.toString());
            }
        }

        private static List<String> toList(Iterator<String> names) {
            List<String> list = new ArrayList<>();
            names.forEachRemaining(list::add);
            return list;
        }

        /** Sum (seconds) and count of Joinery's {@code joinery.join.calls} timer for the remote, from {@code /metrics}. */
        private double[] joinStepTimer() throws Exception {
            String text = http.send(HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            double count = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("joinery_join_calls_seconds_sum{") && line.contains("target=\"profiles\"")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("joinery_join_calls_seconds_count{") && line.contains("target=\"profiles\"")) {
                    count += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new double[]{sum, count};
        }
    }

    /** The runs of every case, and their rendering. */
    static final class Report {
        private final Map<Case, List<Run>> runs = new LinkedHashMap<>();
        private final Map<Case, List<Form>> forms = new LinkedHashMap<>();

        void add(Case c, Run run) {
            runs.computeIfAbsent(c, k -> new ArrayList<>()).add(run);
        }

        double median(Case c, ToDoubleFunction<Run> metric) {
            return JoineryBenchmark.Report.median(runs.get(c).stream().mapToDouble(metric).toArray());
        }

        /** Every form measured in some case, in declaration order. */
        List<Form> forms() {
            return Arrays.stream(Form.values()).filter(f -> forms.values().stream().anyMatch(l -> l.contains(f))).toList();
        }

        /** HTTP calls to the remote per query with {@code form}'s field, over every measured request. */
        double callsPerQuery(Form form) {
            long calls = 0;
            long requests = 0;
            for (List<Run> list : runs.values()) {
                for (Run run : list) {
                    Samples samples = run.withRemote().get(form);
                    if (samples != null) {
                        calls += samples.sum(Samples.Sample::calls);
                        requests += samples.size();
                    }
                }
            }
            return (double) calls / requests;
        }

        /** The distinct values of {@code metric} over every measured request of {@code form} in case {@code c}, as "1" or "1..5". */
        private String range(Case c, Form form, ToIntFunction<Samples.Sample> metric) {
            TreeSet<Integer> values = new TreeSet<>();
            for (Run run : runs.get(c)) {
                values.addAll(run.with(form).distinct(metric));
            }
            return values.isEmpty() ? "-" : values.first().equals(values.last()) ? String.valueOf(values.first())
                    : values.first() + ".." + values.last();
        }

        String render(Settings settings) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "medians of %d runs of %.0f s per case and query (after warm-up), query order rotating%n",
                    settings.runs(), settings.run().toMillis() / 1000.0));
            for (Map.Entry<Case, List<Run>> entry : runs.entrySet()) {
                Case c = entry.getKey();
                List<Run> list = entry.getValue();
                for (Form form : forms.get(c)) {
                    long requests = list.stream().mapToLong(r -> r.with(form).size()).sum();
                    long calls = list.stream().mapToLong(r -> r.with(form).sum(Samples.Sample::calls)).sum();
                    long resolvers = list.stream().mapToLong(r -> r.with(form).sum(Samples.Sample::resolvers)).sum();
                    long keys = list.stream().mapToLong(r -> r.with(form).sum(Samples.Sample::keys)).sum();
                    double bytes = list.stream().mapToDouble(r -> r.with(form).mean(s -> s.requestBytes())).average().orElse(Double.NaN);
                    out.append(String.format(Locale.ROOT, "%n%d authors joined by %s (%s), %d client%s%n", c.rows(), form.label, form.remote,
                            c.clients(), c.clients() == 1 ? "" : "s"));
                    out.append(String.format(Locale.ROOT, "  HTTP calls to the remote per query: %s (%d calls for %d queries; %.0f keys per call;"
                            + " %.1f KB of request body per query)%n",
                            range(c, form, Samples.Sample::calls), calls, requests, (double) keys / Math.max(1, calls), bytes / 1000));
                    out.append(String.format(Locale.ROOT, "  remote resolver invocations per query: %s (%d for %d queries)%n",
                            range(c, form, Samples.Sample::resolvers), resolvers, requests));
                    String row = "  %-52s %8s %8s %8s%n";
                    out.append(String.format(Locale.ROOT, row, "", "req/s", "p50 ms", "p99 ms"));
                    out.append(String.format(Locale.ROOT, row, "T   joinery, with the remote field",
                            fmt0(median(c, r -> r.with(form).requestsPerSecond())),
                            fmt(median(c, r -> r.with(form).percentile(Samples::totalMillis, 0.50))),
                            fmt(median(c, r -> r.with(form).percentile(Samples::totalMillis, 0.99)))));
                    out.append(String.format(Locale.ROOT, row, "S   joinery, same rows without it (SQL only)",
                            fmt0(median(c, r -> r.noRemote().requestsPerSecond())),
                            fmt(median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.50))),
                            fmt(median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.99)))));
                    out.append(String.format(Locale.ROOT, row, "R   the remote's own time for the call", "",
                            fmt(median(c, r -> r.with(form).percentile(Samples::remoteMillis, 0.50))),
                            fmt(median(c, r -> r.with(form).percentile(Samples::remoteMillis, 0.99)))));
                    out.append(String.format(Locale.ROOT, row, "T-R joinery without the remote's own time", "",
                            fmt(median(c, r -> r.with(form).percentile(Samples::localMillis, 0.50))),
                            fmt(median(c, r -> r.with(form).percentile(Samples::localMillis, 0.99)))));
                    out.append(String.format(Locale.ROOT, row, "added over the remote's own: (T-R) - S", "",
                            fmt(median(c, r -> r.addedP50(form))), fmt(median(c, r -> r.addedP99(form)))));
                    double t = median(c, r -> r.with(form).mean(Samples::totalMillis));
                    double s = median(c, r -> r.noRemote().mean(Samples::totalMillis));
                    double rr = median(c, r -> r.with(form).mean(Samples::remoteMillis));
                    double j = median(c, r -> r.joinStep(form));
                    double wait = median(c, r -> r.with(form).mean(Samples::bodyWaitMillis));
                    out.append(String.format(Locale.ROOT, "  means: T %.2f = S %.2f + join step %.2f (remote's own %.2f + HTTP, query, stitching %.2f,"
                            + " of which the remote waited %.2f for the request body) + rest %.2f (JSON tree of the rows, response)%n",
                            t, s, j, rr, j - rr, wait, t - s - j));
                }
            }
            out.append(String.format(Locale.ROOT, "%nT, S: end-to-end latency of a GraphQL request to the sidecar (HTTP/1.1 keep-alive)."
                    + "%nR: the remote server's time from the end of the request body to its answer's bytes (parse, validate, execute, serialise)."
                    + "%nresolver invocations: the remote's root resolvers (profile, profiles, _entities) run for the query."
                    + "%njoin step: Joinery's joinery.join.calls timer (build the remote query, HTTP call, parse and stitch the answer).%n"));
            out.append(renderSideBySide());
            for (Form form : forms()) {
                double calls = callsPerQuery(form);
                out.append(String.format(Locale.ROOT, "%nTarget: one HTTP call per join level, %s: %.2f per query -> %s", form.label, calls,
                        calls == 1.0 ? "MET" : "NOT MET"));
            }
            out.append(String.format(Locale.ROOT, "%n"));
            Case target = new Case(1, TARGET_ROWS);
            if (runs.containsKey(target)) {
                for (Form form : forms.get(target)) {
                    double added = median(target, r -> r.addedP50(form));
                    out.append(String.format(Locale.ROOT, "Target: < %.0f ms p50 added over the remote's own latency at %d rows (1 client), %s: %.2f ms -> %s%n",
                            TARGET_ADDED_MS, TARGET_ROWS, form.label, added, added < TARGET_ADDED_MS ? "MET" : "NOT MET"));
                }
            }
            out.append(String.format(Locale.ROOT, "%n"));
            return out.toString();
        }

        /** The forms of each case side by side, one line each. */
        private String renderSideBySide() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nThe three forms side by side (medians over the runs):%n"));
            String row = "  %4s %7s  %-15s %6s %9s %6s %15s %15s %15s %8s%n";
            out.append(String.format(Locale.ROOT, row, "rows", "clients", "form", "calls", "resolvers", "keys",
                    "T p50/p99", "R p50/p99", "added p50/p99", "req/s"));
            for (Case c : runs.keySet()) {
                for (Form form : forms.get(c)) {
                    out.append(String.format(Locale.ROOT, row, c.rows(), c.clients(), form.label,
                            range(c, form, Samples.Sample::calls), range(c, form, Samples.Sample::resolvers),
                            range(c, form, Samples.Sample::keys),
                            pair(median(c, r -> r.with(form).percentile(Samples::totalMillis, 0.50)),
                                    median(c, r -> r.with(form).percentile(Samples::totalMillis, 0.99))),
                            pair(median(c, r -> r.with(form).percentile(Samples::remoteMillis, 0.50)),
                                    median(c, r -> r.with(form).percentile(Samples::remoteMillis, 0.99))),
                            pair(median(c, r -> r.addedP50(form)), median(c, r -> r.addedP99(form))),
                            fmt0(median(c, r -> r.with(form).requestsPerSecond()))));
                }
                out.append(String.format(Locale.ROOT, row, c.rows(), c.clients(), "S (no remote)", "", "", "",
                        pair(median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.50)),
                                median(c, r -> r.noRemote().percentile(Samples::totalMillis, 0.99))), "", "",
                        fmt0(median(c, r -> r.noRemote().requestsPerSecond()))));
            }
            return out.toString();
        }

        private static String pair(double p50, double p99) {
            return fmt(p50) + " / " + fmt(p99);
        }

        private static String fmt(double value) {
            return String.format(Locale.ROOT, "%.2f", value);
        }

        private static String fmt0(double value) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
    }
}
