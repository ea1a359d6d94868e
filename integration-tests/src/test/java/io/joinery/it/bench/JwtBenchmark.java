package io.joinery.it.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestTokens;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a JWT costs: scenario (a) of {@link JoineryBenchmark} (20 authors after a varying offset)
 * with the admin secret, with an HS256 token and with an RS256 token, against the same database.
 * The tokens are verified once each and then served from the cache of verified tokens (Note
 * [Verified token cache] in {@code VerifiedTokens}), as a client sending its token again is.
 *
 * <p>Run it with the other benchmarks ({@code ./mvnw -B -q -pl integration-tests -am verify -Pbenchmark},
 * README "Benchmarks"), or alone with {@code -Dtest=JwtBenchmark}. Two sidecars: one with the
 * admin secret and an HS256 key, one with an RS256 key (2048 bits); the tokens (100 per key, each
 * for another user) carry the role {@code admin}, so all three targets run the same SQL and the
 * difference is the session. Same system properties as {@link JoineryBenchmark}
 * ({@code bench.clients}, {@code bench.runs}, {@code bench.seconds}, {@code bench.warmup}); the
 * targets alternate in each run; the report gives medians and each token's throughput relative
 * to the admin secret's (the target: a cost below 5%), and the JVM's CPU time and heap
 * allocation per request ({@link ProcessCost}), which a machine busy with other work changes much
 * less than throughput.
 */
@Tag("benchmark")
class JwtBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "bench-admin-secret";
    private static final String HMAC_KEY = "a-benchmark-hmac-key-of-at-least-32-bytes";
    private static final String ADMIN = "admin secret";
    private static final String HS256 = "HS256 JWT";
    private static final String RS256 = "RS256 JWT";

    @Test
    void jwtAgainstTheAdminSecret() throws Exception {
        JoineryBenchmark.Settings settings = JoineryBenchmark.Settings.fromSystemProperties();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        TestDatabase created = null;
        String url = System.getenv("JOINERY_BENCH_DATABASE_URL");
        if (url == null || url.isBlank()) {
            created = TestDatabase.create("bench_jwt");
            url = created.url();
        }
        Path metadata = Files.createTempFile("joinery-bench-metadata", ".yaml");
        RSAKey rsa = TestTokens.rsaKey("bench");
        try {
            EmbeddedDatabase.execute(JoineryBenchmark.jdbcUrl(url), JoineryBenchmark.resource("/bench/dataset.sql"));
            Files.writeString(metadata, JoineryBenchmark.resource("/bench/metadata.yaml"));
            try (Sidecar hs = start(url, metadata, "{\"type\": \"HS256\", \"key\": \"" + HMAC_KEY + "\"}");
                 Sidecar rs = start(url, metadata, JSON.writeValueAsString(Map.of("type", "RS256", "key", TestTokens.pem(rsa.toPublicKey()))));
                 HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run).build()) {
                Map<String, LoadGenerator.Target> targets = new LinkedHashMap<>();
                targets.put(ADMIN, target(http, hs, List.of("X-Joinery-Admin-Secret", SECRET)));
                targets.put(HS256, target(http, hs, tokens(TestTokens.hmac(JWSAlgorithm.HS256, HMAC_KEY))));
                targets.put(RS256, target(http, rs, tokens(TestTokens.rsa(JWSAlgorithm.RS256, rsa))));
                System.out.print(measure(settings, targets));
                System.out.flush();
            }
        } finally {
            Files.deleteIfExists(metadata);
            if (created != null) {
                created.close();
            }
        }
    }

    private static Sidecar start(String url, Path metadata, String jwtSecret) {
        Map<String, String> env = Map.of("JOINERY_DATABASE_URL", url, "JOINERY_METADATA", metadata.toString(),
                "JOINERY_ADMIN_SECRET", SECRET, "JOINERY_JWT_SECRET", jwtSecret);
        return Sidecar.start(JoineryConfig.load(env).withPorts(0, 0), env);
    }

    /** Authorization headers of 100 tokens, each for another user, all of the role admin. */
    private static List<String> tokens(TestTokens.Key key) {
        List<String> headers = new ArrayList<>();
        for (int user = 0; user < 100; user++) {
            headers.add("Authorization");
            headers.add("Bearer " + TestTokens.sign(key, TestTokens.claims("admin", List.of("admin"), Map.of("x-joinery-user-id", String.valueOf(user)))
                    .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3600))).build()));
        }
        return headers;
    }

    /** Scenario (a) against {@code sidecar}, each call with the next name/value pair of {@code headers}. */
    private static LoadGenerator.Target target(HttpClient http, Sidecar sidecar, List<String> headers) throws Exception {
        URI endpoint = URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql");
        String bodyPrefix = "{\"query\":" + JSON.writeValueAsString(JoineryBenchmark.SCENARIOS.getFirst().query()) + ",\"variables\":{\"offset\":";
        int pairs = headers.size() / 2;
        return offset -> {
            int pair = offset % pairs;
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .header(headers.get(2 * pair), headers.get(2 * pair + 1))
                    .POST(HttpRequest.BodyPublishers.ofString(bodyPrefix + offset + "}}")).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || !response.body().startsWith("{\"data\":{\"author\":[{")) {
                throw new IllegalStateException("joinery answered " + response.statusCode() + ": " + response.body());
            }
        };
    }

    private static String measure(JoineryBenchmark.Settings settings, Map<String, LoadGenerator.Target> targets) throws Exception {
        LoadGenerator load = new LoadGenerator(settings.clients());
        for (int round = 0; round < 2; round++) {
            for (LoadGenerator.Target target : targets.values()) {
                load.run(target, settings.warmup().dividedBy(3));
            }
        }
        Map<String, List<LoadGenerator.Measurement>> runs = new LinkedHashMap<>();
        Map<String, List<ProcessCost>> costs = new LinkedHashMap<>();
        for (int run = 0; run < settings.runs(); run++) {
            List<String> order = new ArrayList<>(targets.keySet());
            java.util.Collections.rotate(order, run);
            for (String name : order) {
                ProcessCost.Costed costed = ProcessCost.of(() -> load.run(targets.get(name), settings.run()));
                runs.computeIfAbsent(name, n -> new ArrayList<>()).add(costed.measurement());
                costs.computeIfAbsent(name, n -> new ArrayList<>()).add(costed.cost());
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nJWT benchmark: %s, %d clients, medians of %d runs of %.0f s%n",
                JoineryBenchmark.SCENARIOS.getFirst().name(), settings.clients(), settings.runs(), settings.run().toMillis() / 1000.0));
        String row = "%-14s %9s %9s %9s %12s %12s %10s%n";
        out.append(String.format(Locale.ROOT, row, "session", "req/s", "p50 ms", "p99 ms", "vs secret", "CPU us/req", "KB/req"));
        double base = median(runs.get(ADMIN), LoadGenerator.Measurement::requestsPerSecond);
        for (Map.Entry<String, List<LoadGenerator.Measurement>> target : runs.entrySet()) {
            double rps = median(target.getValue(), LoadGenerator.Measurement::requestsPerSecond);
            out.append(String.format(Locale.ROOT, row, target.getKey(), String.format(Locale.ROOT, "%.0f", rps),
                    String.format(Locale.ROOT, "%.2f", median(target.getValue(), LoadGenerator.Measurement::p50Millis)),
                    String.format(Locale.ROOT, "%.2f", median(target.getValue(), LoadGenerator.Measurement::p99Millis)),
                    String.format(Locale.ROOT, "%.1f%%", 100 * rps / base),
                    String.format(Locale.ROOT, "%.0f", JoineryBenchmark.Report.median(costs.get(target.getKey()).stream().mapToDouble(ProcessCost::cpuMicrosPerRequest).toArray())),
                    String.format(Locale.ROOT, "%.1f", JoineryBenchmark.Report.median(costs.get(target.getKey()).stream().mapToDouble(ProcessCost::kilobytesPerRequest).toArray()))));
        }
        return out.append('\n').toString();
    }

    private static double median(List<LoadGenerator.Measurement> runs, java.util.function.ToDoubleFunction<LoadGenerator.Measurement> metric) {
        return JoineryBenchmark.Report.median(runs.stream().mapToDouble(metric).toArray());
    }
}
