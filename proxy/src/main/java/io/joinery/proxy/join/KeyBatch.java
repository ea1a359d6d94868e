package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The objects one join fills at one level, each with its key, and the distinct keys in the order
 * they were first seen — the same for a remote join and a table join. An object whose key is
 * missing or has a null part gets the join's empty value without its key being sent. The keys go
 * out in one call (or statement); {@link #stitch} puts each key's value back into every object of
 * that key.
 */
final class KeyBatch {

    /**
     * An object that gets the joined field, where that field is in the response (for error paths),
     * and its key values in key column order (null: no key).
     */
    record Target(ObjectNode object, String path, List<JsonNode> key) {
    }

    private final List<ObjectNode> objects;
    private final List<Integer> objectKey;
    private final List<List<JsonNode>> keys;
    private final List<String> keyPaths;

    private KeyBatch(List<ObjectNode> objects, List<Integer> objectKey, List<List<JsonNode>> keys, List<String> keyPaths) {
        this.objects = objects;
        this.objectKey = objectKey;
        this.keys = keys;
        this.keyPaths = keyPaths;
    }

    /** Deduplicates the targets' keys; a key with a null part counts as none. */
    static KeyBatch of(List<Target> targets) {
        Map<List<JsonNode>, Integer> keyIndex = new LinkedHashMap<>();
        List<ObjectNode> objects = new ArrayList<>(targets.size());
        List<Integer> objectKey = new ArrayList<>(targets.size());
        List<String> keyPaths = new ArrayList<>();
        for (Target target : targets) {
            Integer index = null;
            if (whole(target.key())) {
                index = keyIndex.computeIfAbsent(target.key(), k -> keyIndex.size());
                if (index == keyPaths.size()) {
                    keyPaths.add(target.path());
                }
            }
            objects.add(target.object());
            objectKey.add(index);
        }
        return new KeyBatch(objects, objectKey, List.copyOf(keyIndex.keySet()), keyPaths);
    }

    /** A key with every part (a loop: a stream per object was 6% of what a Q3 request allocated). */
    private static boolean whole(List<JsonNode> key) {
        if (key == null) {
            return false;
        }
        for (int i = 0; i < key.size(); i++) {
            if (key.get(i).isNull()) {
                return false;
            }
        }
        return true;
    }

    /** The number of objects the join fills (not of distinct keys). */
    int size() {
        return objects.size();
    }

    List<ObjectNode> objects() {
        return objects;
    }

    /** The distinct keys, each a list of values in key column order. */
    List<List<JsonNode>> keys() {
        return keys;
    }

    /** The index of the key of object {@code object} (in the order of the targets), or null when it has none. */
    Integer keyOf(int object) {
        return objectKey.get(object);
    }

    /** The response path of the first object that has key {@code index}. */
    String path(int index) {
        return keyPaths.get(index);
    }

    /**
     * Puts each key's value ({@code results}, by key index) at {@code alias} of its objects; objects
     * without a key, or whose key has no value (Java null), get {@code empty}. Objects that share a
     * key get copies, not the same node: the joins inside them edit each one in place (remove their
     * phantom fields, set their own), which must happen once per object.
     */
    void stitch(String alias, List<JsonNode> results, Supplier<JsonNode> empty) {
        boolean[] placed = new boolean[results.size()];
        for (int i = 0; i < objects.size(); i++) {
            Integer index = objectKey.get(i);
            JsonNode value = index == null ? null : results.get(index);
            if (value == null) {
                value = empty.get();
            } else if (placed[index]) {
                value = value.deepCopy();
            } else {
                placed[index] = true;
            }
            objects.get(i).set(alias, value);
        }
    }
}
