package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.RemoteSchemaJoin;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.schema.RemotePathStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A level's joins found by following the join tree through the JSON: keys taken out, placeholders in place. */
class JoinLevelTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRowsPhantomKeyIsTakenOutAndItsJoinFoundBelowRelations() {
        RowField.RemoteJoin profile = new RowField.RemoteJoin("profile", spec("profile"), List.of());
        RootField root = new RootField.SelectMany("authors", null, List.of(
                new RowField.Column("id", null),
                new RowField.ArrayRelation("articles", null, null, List.of(new RowField.Column("title", null), profile))));
        JoinTree tree = new JoinCollector(Map.of()).of(root);
        JsonNode rows = json("""
                [{"id": 1, "articles": [{"title": "a", "profile": null, "__joinery_key_profile": [7]}]},
                 {"id": 2, "articles": [{"title": "b", "profile": null, "__joinery_key_profile": [null]}]}]""");

        JoinLevel level = new JoinLevel();
        level.collect(rows, tree, "$.authors");

        List<KeyBatch.Target> targets = level.remote.values().iterator().next();
        assertEquals(List.of("$.authors[0].articles[0].profile", "$.authors[1].articles[0].profile"),
                targets.stream().map(KeyBatch.Target::path).toList());
        assertEquals(List.of(json("7")), targets.getFirst().key());
        assertEquals(json("""
                [{"id": 1, "articles": [{"title": "a", "profile": null}]},
                 {"id": 2, "articles": [{"title": "b", "profile": null}]}]"""), rows, "the phantom keys are gone");
        assertEquals(1, KeyBatch.of(targets).keys().size(), "a key with a null part is not sent");
    }

    @Test
    void anAnswersPhantomKeyFieldsGiveWayToThePlaceholderWhereTheFirstOfThemWas() {
        RowField.RemoteJoin account = new RowField.RemoteJoin("account", spec("account"), List.of());
        RootField root = new RootField.Remote("me", "profiles", null, List.of(),
                List.of(new RemoteSchemaJoin(List.of("items"), account, List.of("__joinery_key_account_id"))), false);
        JoinTree tree = new JoinCollector(Map.of()).of(root);
        JsonNode answer = json("{\"items\": [{\"bio\": \"b\", \"__joinery_key_account_id\": 5, \"name\": \"n\"}]}");

        JoinLevel level = new JoinLevel();
        level.collect(answer, tree, "$.me");

        List<KeyBatch.Target> targets = level.remote.values().iterator().next();
        assertEquals("$.me.items[0].account", targets.getFirst().path());
        assertEquals(List.of(json("5")), targets.getFirst().key());
        assertEquals("{\"items\":[{\"bio\":\"b\",\"account\":null,\"name\":\"n\"}]}", answer.toString(), "the client's field order holds");
    }

    @Test
    void branchesWithoutJoinsAreLeftOutOfTheTree() {
        RootField root = new RootField.SelectMany("authors", null, List.of(
                new RowField.Column("id", null),
                new RowField.ArrayRelation("articles", null, null, List.of(new RowField.Column("title", null)))));
        assertTrue(new JoinCollector(Map.of()).of(root).isEmpty());
    }

    private static JoinSpec spec(String alias) {
        return new JoinSpec(alias, "profiles", List.of("id"), List.of(new RemotePathStep("profile", null)), null, Map.of(), List.of(), alias);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
