package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An upsert checks a row it inserts with the insert permission's check and a row it updates with the
 * update permission's (Note [Upsert checks] in {@code MutationCompiler}), in one statement, and only a
 * role that may update gets {@code on_conflict} (it/metadata-nested-inserts.yaml: the role user's
 * insert check wants its own owner_id, its update check a bio that is not "forbidden").
 */
class UpsertChecksTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("upsert_checks", "/it/schema-nested-inserts.sql",
            "/it/metadata-nested-inserts.yaml");

    private static GraphqlClient user(int id) {
        return served.client().withHeaders(Map.of("x-joinery-role", "user", "x-joinery-user-id", String.valueOf(id)));
    }

    private static String upsert(String name, String bio) {
        return "mutation { insert_author(objects: [{name: \"" + name + "\", bio: \"" + bio + "\"}],"
                + " on_conflict: {constraint: author_name_key, update_columns: [bio]}) { affected_rows returning { name bio owner_id } } }";
    }

    @Test
    void aRowTheUpsertUpdatesMeetsTheUpdateCheckNotTheInsertCheck() {
        // "Existing" has no owner: the insert check would refuse it, the update check does not.
        var response = user(4).query(upsert("Existing", "updated"));

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author": {"affected_rows": 1, "returning": [{"name": "Existing", "bio": "updated", "owner_id": null}]}}}"""),
                response.json(), "the answer");
    }

    @Test
    void aRowTheUpsertUpdatesFailingTheUpdateCheckRollsBack() {
        var response = user(4).query(upsert("Existing", "forbidden"));

        JsonNode error = response.errors().path(0);
        assertEquals("permission-error", error.path("extensions").path("code").asText(), response.toString());
        assertEquals("check constraint of an insert/update permission has failed", error.path("message").asText(), response.toString());
        assertEquals(0, served.database().queryLong("SELECT count(*) FROM author WHERE name = 'Existing' AND bio = 'forbidden'"));
    }

    @Test
    void aRowTheUpsertInsertsMeetsTheInsertCheckOnly() {
        var response = user(4).query(upsert("Fresh", "forbidden"));

        JsonTrees.assertJsonEquals(JsonTrees.parse("""
                {"data": {"insert_author": {"affected_rows": 1, "returning": [{"name": "Fresh", "bio": "forbidden", "owner_id": 4}]}}}"""),
                response.json(), "the update check does not apply to an inserted row");
    }

    @Test
    void aRoleThatMayNotUpdateHasNoOnConflict() {
        var response = user(4).query("""
                mutation { insert_article(objects: [{title: "x"}], on_conflict: {constraint: article_pkey, update_columns: []}) { affected_rows } }""");

        assertEquals("validation-failed", response.errors().path(0).path("extensions").path("code").asText(), response.toString());
        assertEquals(0, served.database().queryLong("SELECT count(*) FROM article WHERE title = 'x'"));
    }
}
