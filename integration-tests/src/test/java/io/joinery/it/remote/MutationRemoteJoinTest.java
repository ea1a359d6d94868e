package io.joinery.it.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JoinedRemoteServer;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Remote relationships in a mutation's answer are joined AFTER the transaction commits: the remote,
 * when it is called, finds the new rows in the database (Hasura calls it before the commit:
 * hasura/graphql-engine#7007), and it is called once per join, whatever the number of rows.
 */
class MutationRemoteJoinTest {

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("mutation_remote").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 5) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        remote = new TestGraphqlServer();
        // "faulty" is the same server here: its field is missing, so that relationship is left out.
        sidecar = TestSidecar.start(db.url(), "/it/metadata-remote.yaml", Map.of(
                "PROFILES_URL", remote.url(), "PROFILES_KEY", "k-123", "FAULTY_URL", remote.url()));
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        remote.close();
        db.close();
    }

    @BeforeEach
    void reset() {
        remote.reset();
    }

    @Test
    void theRemoteOfAReturningJoinIsCalledOnceAfterTheCommit() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        remote.beforeAnswer(() -> seen.add(db.queryLong("SELECT count(*) FROM author WHERE id IN (501, 502)")));

        JsonNode answer = sidecar.client().query("""
                mutation { insert_author(objects: [{id: 501, name: "R1"}, {id: 502, name: "R2"}]) {
                  affected_rows returning { id profile { bio } } } }""").json();

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author": {"affected_rows": 2, "returning": [
                  {"id": 501, "profile": {"bio": "bio of 501"}}, {"id": 502, "profile": {"bio": "bio of 502"}}]}}}"""),
                answer, "the answer");
        assertEquals(1, remote.requests(), "one call for the join, whatever the number of rows");
        assertEquals(List.of(2L), seen, "the rows the remote finds when it is called");
    }

    @Test
    void aRemoteMutationNamedAsATablesIsAnInconsistencyNotAShadow() {
        try (TestDatabase clashDb = TestDatabase.create("mutation_clash").load("/it/schema-mutations.sql");
             JoinedRemoteServer clashing = JoinedRemoteServer.ofSdl("""
                     type Query { ping: String }
                     type Mutation { insert_author(name: String): String }""");
             TestSidecar clash = TestSidecar.start(clashDb.url(), "/it/metadata-remote-mutation-clash.yaml", Map.of("CLASHING_URL", clashing.url()))) {
            List<String> reasons = clash.sidecar().inconsistencies().problems().stream().map(problem -> problem.reason()).toList();
            clashing.reset();
            JsonNode answer = clash.client().query("mutation { insert_author(objects: [{name: \"Table's\"}]) { affected_rows } }").json();

            assertTrue(reasons.stream().anyMatch(reason -> reason.contains("mutation root field insert_author is already defined by a table")),
                    "reported: " + reasons);
            assertEquals(1, answer.path("data").path("insert_author").path("affected_rows").asInt(), "the table's field is served: " + answer);
            assertEquals(0, clashing.requests(), "the remote's field is not");
        }
    }

    @Test
    void anInsertOneJoinsItsRowAfterTheCommitToo() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        remote.beforeAnswer(() -> seen.add(db.queryLong("SELECT count(*) FROM author WHERE id = 503")));

        JsonNode answer = sidecar.client().query("mutation { insert_author_one(object: {id: 503, name: \"R3\"}) { name profile { followers } } }").json();

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author_one": {"name": "R3", "profile": {"followers": 5030}}}}"""), answer, "the answer");
        assertEquals(List.of(1L), seen, "the row the remote finds when it is called");
    }
}
