package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.LogCapture;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sidecar's sessions plan for data in memory (Note [Plans for data in memory] in
 * {@code execute.Database}): they take {@code random_page_cost=1.0} where the database gives it no
 * value of its own, so a list's children are read by index, not through a bitmap built per parent;
 * a database's own value wins, {@code JOINERY_SESSION_DEFAULTS=none} keeps every setting as the
 * database has it, and a value Postgres refuses is logged and costs no answer. Over
 * {@code it/schema-plans.sql} and {@code it/metadata-plans.yaml}.
 */
class SessionDefaultsTest {

    private static final String NESTED = "{ parent(limit: 20, order_by: {id: asc}) { id children(limit: 5, order_by: {id: asc}) { id body } } }";

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("plans", "/it/schema-plans.sql", "/it/metadata-plans.yaml");

    @RegisterExtension
    static final SidecarOnDatabase untouched = SidecarOnDatabase.of("plans_none", "/it/schema-plans.sql", "/it/metadata-plans.yaml")
            .with(Map.of("JOINERY_SESSION_DEFAULTS", "none"));

    @Test
    void sessionsTakeTheDefaultWhereTheDatabaseHasNone() {
        assertEquals("1", setting(served.client()), "random_page_cost=1.0, as Postgres writes it");
        assertEquals("4", setting(untouched.client()), "none: the database's own (Postgres' default)");
    }

    @Test
    void childrenAreReadByIndexNotThroughABitmapPerParent() {
        String plan = plan(served);
        assertTrue(plan.contains("Index Scan using child_parent_id_idx on child"), plan);
        assertFalse(plan.contains("Bitmap"), plan);
        // the same request where the sessions keep Postgres' default: the data does make it choose a bitmap per parent
        String untouchedPlan = plan(untouched);
        assertTrue(untouchedPlan.contains("Bitmap Heap Scan on child"), untouchedPlan);
        // and the answer is the same
        JsonNode answer = served.client().query(NESTED).data();
        assertEquals(untouched.client().query(NESTED).data(), answer);
        assertEquals(20, answer.path("parent").size());
        assertEquals(5, answer.path("parent").path(0).path("children").size());
    }

    @Test
    void aBitmapRemainsWhereOnlyItServes() {
        // an _or over two indexed columns: one bitmap per index, or-ed, else a scan of the whole table
        String plan = plan(served, "{ child(where: {_or: [{parent_id: {_eq: 5}}, {id: {_eq: 7}}]}) { id } }");
        assertTrue(plan.contains("BitmapOr"), plan);
        assertFalse(plan.contains("Seq Scan"), plan);
    }

    @Test
    void aDatabasesOwnValueWins() {
        try (TestDatabase tuned = TestDatabase.create("plans_tuned").load("/it/schema-plans.sql")) {
            tuned.execute("ALTER DATABASE " + tuned.name() + " SET random_page_cost = 2");
            try (TestSidecar sidecar = TestSidecar.start(tuned.url(), "/it/metadata-plans.yaml")) {
                assertEquals("2", setting(sidecar.client()));
            }
        }
    }

    @Test
    void aRefusedValueIsLoggedAndCostsNoAnswer() {
        List<String> warnings;
        try (LogCapture logs = LogCapture.start();
             TestSidecar sidecar = TestSidecar.start(served.database().url(), "/it/metadata-plans.yaml",
                     Map.of("JOINERY_SESSION_DEFAULTS", "random_page_cost=fast"))) {
            assertEquals("4", setting(sidecar.client()), "the database's own setting");
            assertEquals(3, sidecar.client().query("{ parent(limit: 3) { id } }").data().path("parent").size());
            warnings = logs.warnings().stream().filter(m -> m.contains("JOINERY_SESSION_DEFAULTS")).toList();
        }
        assertEquals(1, warnings.size(), "one warning per pool, not one per connection: " + warnings);
        assertTrue(warnings.get(0).contains("invalid value for parameter \"random_page_cost\": \"fast\""), warnings.get(0));
    }

    private static String setting(GraphqlClient client) {
        JsonNode rows = client.query("{ session_setting { name setting } }").data().path("session_setting");
        assertEquals(1, rows.size(), rows.toString());
        assertEquals("random_page_cost", rows.path(0).path("name").asText());
        return rows.path(0).path("setting").asText();
    }

    private static String plan(SidecarOnDatabase on) {
        return plan(on, NESTED);
    }

    private static String plan(SidecarOnDatabase on, String query) {
        GraphqlClient explain = new GraphqlClient(on.sidecar().graphqlUri("/v1/graphql/explain"), Map.of("x-joinery-admin-secret", TestSidecar.ADMIN_SECRET));
        GraphqlClient.GraphqlResponse answer = explain.post(JsonTrees.parse("{\"query\": {\"query\": \"" + query.replace("\"", "\\\"") + "\"}}"));
        assertEquals(200, answer.status(), answer.toString());
        StringBuilder plan = new StringBuilder();
        answer.json().path(0).path("plan").forEach(line -> plan.append(line.asText()).append('\n'));
        return plan.toString();
    }
}
