package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

/** One key batch for remote and table joins: distinct keys in first-seen order, values back to every object of a key. */
class KeyBatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deduplicatesKeysInFirstSeenOrderAndSkipsKeysWithANullPart() {
        ObjectNode a = object("{}");
        ObjectNode b = object("{}");
        ObjectNode c = object("{}");
        ObjectNode d = object("{}");
        KeyBatch batch = KeyBatch.of(List.of(
                new KeyBatch.Target(a, "$.x[0].p", List.of(json("2"))),
                new KeyBatch.Target(b, "$.x[1].p", List.of(json("1"))),
                new KeyBatch.Target(c, "$.x[2].p", List.of(json("2"))),
                new KeyBatch.Target(d, "$.x[3].p", List.of(NullNode.getInstance()))));
        assertEquals(List.of(List.of(json("2")), List.of(json("1"))), batch.keys(), "distinct keys, first seen first");
        assertEquals("$.x[0].p", batch.path(0), "a key's path is its first object's");
        assertEquals("$.x[1].p", batch.path(1));
        assertEquals(4, batch.size(), "every object counts, not only distinct keys");
    }

    @Test
    void stitchesEachKeysValueIntoCopiesAndTheEmptyValueWhereThereIsNone() {
        ObjectNode a = object("{\"p\": null}");
        ObjectNode b = object("{\"p\": null}");
        ObjectNode c = object("{\"p\": null}");
        ObjectNode d = object("{\"p\": null}");
        KeyBatch batch = KeyBatch.of(List.of(
                new KeyBatch.Target(a, "$[0].p", List.of(json("1"))),
                new KeyBatch.Target(b, "$[1].p", List.of(json("1"))),
                new KeyBatch.Target(c, "$[2].p", null),
                new KeyBatch.Target(d, "$[3].p", List.of(json("3")))));
        batch.stitch("p", Arrays.asList(json("{\"bio\": \"one\"}"), null), JsonNodeFactory.instance::arrayNode);
        assertEquals(json("{\"bio\": \"one\"}"), a.get("p"));
        assertEquals(json("{\"bio\": \"one\"}"), b.get("p"));
        assertNotSame(a.get("p"), b.get("p"), "objects of one key get their own copies: later joins edit them in place");
        assertEquals(json("[]"), c.get("p"), "no key: the empty value, nothing sent");
        assertEquals(json("[]"), d.get("p"), "a key without a value: the empty value");
    }

    private static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
