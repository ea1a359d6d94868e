package io.joinery.it;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A column whose type lives in a schema the search path does not hold (an enum of schema {@code app},
 * {@code information_schema.sql_identifier}) is compared and written like any other: its bind
 * parameters are cast to the type spelled with its schema (Hasura's {@code in_sql_identifier_array} case).
 */
class TypesOutsideSearchPathTest {

    static TestDatabase db;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("typed_elsewhere").execute("""
                CREATE SCHEMA app;
                CREATE TYPE app.mood AS ENUM ('calm', 'busy', 'tired');
                CREATE TABLE mood_log (id serial PRIMARY KEY, mood app.mood NOT NULL, moods app.mood[],
                                       label information_schema.sql_identifier);
                INSERT INTO mood_log (mood, moods, label) VALUES
                  ('calm', '{calm,busy}', 'one'), ('busy', '{busy}', 'two'), ('tired', '{}', 'three');
                """);
        sidecar = TestSidecar.start(db.url(), "/it/metadata-typed-elsewhere.yaml");
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        db.close();
    }

    @Test
    void anEnumOfAnotherSchemaIsCompared() {
        GraphqlResponse response = sidecar.client().query(
                "{ mood_log(where: {mood: {_in: [busy, tired]}}, order_by: {id: asc}) { id mood } }");
        assertEquals("{\"mood_log\":[{\"id\":2,\"mood\":\"busy\"},{\"id\":3,\"mood\":\"tired\"}]}", response.data().toString());
        response = sidecar.client().query("{ mood_log(where: {moods: {_contains: [busy]}}, order_by: {id: asc}) { id } }");
        assertEquals("{\"mood_log\":[{\"id\":1},{\"id\":2}]}", response.data().toString());
    }

    @Test
    void anInformationSchemaTypeIsCompared() {
        GraphqlResponse response = sidecar.client().query(
                "{ mood_log(where: {label: {_nin: [\"one\", \"three\"]}}) { id label } }");
        assertEquals("{\"mood_log\":[{\"id\":2,\"label\":\"two\"}]}", response.data().toString());
    }

    @Test
    void anEnumOfAnotherSchemaIsWritten() {
        GraphqlResponse response = sidecar.client().query(
                "mutation { insert_mood_log_one(object: {mood: tired, moods: [calm], label: \"four\"}) { mood moods label } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        assertEquals("{\"insert_mood_log_one\":{\"mood\":\"tired\",\"moods\":[\"calm\"],\"label\":\"four\"}}", response.data().toString());
        db.execute("DELETE FROM mood_log WHERE id > 3");
    }
}
