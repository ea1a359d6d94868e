package io.joinery.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark's queries ({@link JoineryBenchmark#SCENARIOS}) on its dataset (scaled down), through the sidecar and as
 * hand-written SQL sent straight to Postgres: the same data for several keys. Both are then timed, one
 * request after another, and the figures are printed as information, never asserted (the benchmark,
 * {@code -Pbenchmark}, measures throughput under load).
 *
 * <p>The hand-written SQL is the shape that was fastest on this dataset ({@code shared/KNOWN.md}):
 * correlated scalar subqueries with {@code json_agg(json_build_object(...))}, the limit inside.
 */
class DirectSqlComparisonTest {

    /** Per scenario (by position in {@link JoineryBenchmark#SCENARIOS}): the same answer, written by hand; $1 is the offset. */
    private static final List<String> HAND_WRITTEN = List.of(
            """
            SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'email', a.email, 'created_at', a.created_at)
                                     ORDER BY a.id), '[]')::text
            FROM (SELECT id, name, email, created_at FROM bench.author WHERE id > $1 ORDER BY id LIMIT 20) a""",
            """
            SELECT coalesce(json_agg(json_build_object('id', a.id, 'name', a.name, 'articles',
                     (SELECT coalesce(json_agg(json_build_object('id', r.id, 'title', r.title, 'rating', r.rating, 'comments',
                               (SELECT coalesce(json_agg(json_build_object('id', c.id, 'body', c.body) ORDER BY c.id), '[]')
                                FROM (SELECT id, body FROM bench.comment WHERE article_id = r.id ORDER BY id LIMIT 3) c))
                             ORDER BY r.id), '[]')
                      FROM (SELECT id, title, rating FROM bench.article WHERE author_id = a.id ORDER BY id LIMIT 5) r))
                     ORDER BY a.id), '[]')::text
            FROM (SELECT id, name FROM bench.author WHERE id > $1 ORDER BY id LIMIT 20) a""");

    private static final int TIMED_REQUESTS = 50;

    /** The benchmark's dataset scaled down (2k authors as there, 10k articles, 40k comments), replaced in this order. */
    private static final List<List<String>> SCALED_DOWN = List.of(
            List.of("generate_series(1, 40000)", "generate_series(1, 10000)"),
            List.of("% 40000", "% 10000"),
            List.of("generate_series(1, 200000)", "generate_series(1, 40000)"));

    private static TestDatabase db;
    private static TestSidecar sidecar;
    private static Vertx vertx;
    private static Pool direct;

    @BeforeAll
    static void start() {
        String dataset = JoineryBenchmark.resource("/bench/dataset.sql");
        for (List<String> change : SCALED_DOWN) {
            if (!dataset.contains(change.getFirst())) {
                throw new IllegalStateException("bench/dataset.sql changed: no '" + change.getFirst() + "' to scale down");
            }
            dataset = dataset.replace(change.getFirst(), change.getLast());
        }
        db = TestDatabase.create("direct_sql").execute(dataset);
        sidecar = TestSidecar.start(db.url(), "/bench/metadata.yaml");
        vertx = Vertx.vertx();
        // the direct statements plan as the sidecar's do (Note [Plans for data in memory] in execute.Database)
        PgConnectOptions options = PgConnectOptions.fromUri(db.url());
        io.joinery.proxy.config.JoineryConfig.load(Map.of()).sessionDefaults().forEach(options::addProperty);
        direct = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(vertx).build();
    }

    @AfterAll
    static void stop() {
        try (TestDatabase closingDatabase = db; TestSidecar closingSidecar = sidecar) {
            if (direct != null) {
                direct.close().await();
            }
            if (vertx != null) {
                vertx.close().await();
            }
        }
    }

    static Stream<Integer> scenarios() {
        return Stream.iterate(0, i -> i + 1).limit(JoineryBenchmark.SCENARIOS.size());
    }

    @ParameterizedTest(name = "scenario {0}")
    @MethodSource("scenarios")
    void answersTheSameAsHandWrittenSql(int index) {
        JoineryBenchmark.Scenario scenario = JoineryBenchmark.SCENARIOS.get(index);
        String sql = HAND_WRITTEN.get(index);
        GraphqlClient client = sidecar.client();
        IntFunction<JsonNode> viaJoinery = offset -> client.query(scenario.query(), Map.of("offset", offset)).json();
        IntFunction<JsonNode> viaSql = offset -> JsonTrees.parse("{\"data\": {\"author\": "
                + direct.preparedQuery(sql).execute(Tuple.of(offset)).await().iterator().next().getString(0) + "}}");

        for (int offset : new int[]{0, 977, LoadGenerator.OFFSETS - 1}) {
            JsonNode expected = viaSql.apply(offset);
            assertEquals(20, expected.path("data").path("author").size(), "authors of the hand-written SQL at offset " + offset);
            JsonTrees.assertJsonEquals(expected, viaJoinery.apply(offset), scenario.name() + " at offset " + offset);
        }

        double[] joinery = timed(viaJoinery);
        double[] handWritten = timed(viaSql);
        System.out.printf(Locale.ROOT, "%s, %d requests one after another (information, not asserted): joinery median %.2f ms,"
                + " p90 %.2f ms; hand-written SQL median %.2f ms, p90 %.2f ms%n", scenario.name(), TIMED_REQUESTS,
                percentile(joinery, 50), percentile(joinery, 90), percentile(handWritten, 50), percentile(handWritten, 90));
    }

    /** Milliseconds of each of {@link #TIMED_REQUESTS} calls, each with another key. */
    private static double[] timed(IntFunction<JsonNode> call) {
        double[] millis = new double[TIMED_REQUESTS];
        for (int i = 0; i < TIMED_REQUESTS; i++) {
            long start = System.nanoTime();
            call.apply(LoadGenerator.offset(i));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)];
    }
}
