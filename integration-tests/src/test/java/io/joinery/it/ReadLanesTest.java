package io.joinery.it;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.StatementRecorder;
import io.joinery.proxy.execute.Database;
import io.joinery.telemetry.PoolObserver;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.joinery.it.support.Polling.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads sent two to a connection (Note [Reads two to a connection] in {@code execute.Database}): with
 * two connections and many callers at once, statements go one behind another on each connection, and
 * still every caller gets its own answer, and a statement Postgres refuses fails alone; and on the
 * wire, the second statement reaches Postgres while the first still runs.
 */
class ReadLanesTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("lanes", "/it/schema.sql", "/it/metadata.yaml")
            .with(Map.of("JOINERY_POOL_SIZE", "2"));

    private static final String COMMENT = "query ($id: Int!) { comment_by_pk(id: $id) { id body article { id } } }";
    /** Postgres refuses the pattern (invalid regular expression): an error of the statement, not of the request's shape. */
    private static final String BAD_PATTERN = "{ author(where: {name: {_regex: \"(\"}}) { id } }";

    @Test
    void manyCallersAtOnceEachGetTheirOwnAnswerAndAFailingStatementFailsAlone() throws Exception {
        int callers = 16;
        int each = 30;
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                int first = caller;
                runs.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        int id = 1 + (first * each + i) % 60;
                        if ((first + i) % 7 == 0) {
                            GraphqlResponse refused = served.client().query(BAD_PATTERN);
                            if (!"data-exception".equals(refused.errors().path(0).path("extensions").path("code").asText())
                                    || !refused.json().path("data").isMissingNode() && !refused.json().path("data").isNull()) {
                                wrong.add("bad pattern: " + refused);
                            }
                            continue;
                        }
                        GraphqlResponse answer = served.client().query(COMMENT, Map.of("id", id));
                        if (answer.data() == null || answer.data().path("comment_by_pk").path("id").asInt() != id
                                || !("Comment " + id).equals(answer.data().path("comment_by_pk").path("body").asText())
                                || answer.data().path("comment_by_pk").path("article").path("id").asInt() != 1 + (id * 13) % 29) {
                            wrong.add("comment " + id + ": " + answer);
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                wrong.addAll(run.get());
            }
            assertEquals(List.of(), wrong, "answers that were not the caller's own");
        }
    }

    @Test
    void aStatementIsSentBehindOneThatRunsWithoutWaitingForItsAnswer() throws Exception {
        String url = served.database().url();
        Vertx vertx = Vertx.vertx();
        try (StatementRecorder recorder = StatementRecorder.forward(url);
             // one connection, two statements on it, and no statement counted as stalled
             Database database = new Database("lanes", vertx, recorder.url(url), 1, 2, Duration.ofHours(1),
                     Duration.ofSeconds(5), Duration.ofSeconds(5), PoolObserver.NONE, Map.of())) {
            // prepared on the connection beforehand, so its execution is sent at once (a statement new to a
            // connection is first parsed, and the driver waits for that answer before it binds it)
            assertEquals(3, database.prepared("SELECT $1::int", Tuple.of(3)).iterator().next().getInteger(0));
            int before = recorder.executed().size();
            long sent = System.nanoTime();
            CompletableFuture<RowSet<Row>> slow = CompletableFuture.supplyAsync(() -> database.prepared("SELECT pg_sleep(1)", Tuple.tuple()));
            assertTrue(waitUntil(() -> recorder.executedSince(before).size() == 1), "the slow statement is sent");
            CompletableFuture<RowSet<Row>> behind = CompletableFuture.supplyAsync(() -> database.prepared("SELECT $1::int", Tuple.of(7)));

            assertTrue(waitUntil(() -> recorder.executedSince(before).size() == 2),
                    "the second statement reaches Postgres while the first runs: " + recorder.executedSince(before));
            assertFalse(slow.isDone(), "the slow statement still runs");
            assertFalse(behind.isDone(), "the second waits for the first's answer, in Postgres' socket");
            assertEquals(7, behind.get().iterator().next().getInteger(0));
            // answers come in the order the statements went: the second's after the first's second of sleep (whether the
            // first's caller has yet woken up to its answer is the scheduler's business)
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(1000), "the second's answer came after the first's");
            assertEquals(1, slow.get(5, TimeUnit.SECONDS).size());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
