package io.joinery.it;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads sent two to a connection (Note [Reads two to a connection] in {@code execute.Database}): with
 * two connections and many callers at once, statements go one behind another on each connection, and
 * still every caller gets its own answer, and a statement Postgres refuses fails alone.
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
}
