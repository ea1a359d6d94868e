package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The joins found at one level of a response, following a {@link JoinTree} through its JSON: remote
 * joins with the objects they fill (table rows, or objects of remote answers), their keys taken
 * out, and table joins (to other sources, or into remote answers) with the objects that get their
 * field. Joins inside what they bring (table → remote → table → remote, remote → remote → table)
 * make the next level. See Note [Joins of one level].
 */
final class JoinLevel {

    /** The objects a table join fills at one level, and the response path of the first place they were found. */
    record TableObjects(List<ObjectNode> objects, String path) {
    }

    final Map<JoinTree.RemoteJoin, List<KeyBatch.Target>> remote = new IdentityHashMap<>();
    final Map<JoinTree.TableJoin, TableObjects> tables = new IdentityHashMap<>();

    boolean isEmpty() {
        return remote.isEmpty() && tables.isEmpty();
    }

    /** Adds the joins inside {@code value}, found at response path {@code path}, as {@code tree} places them. */
    void collect(JsonNode value, JoinTree tree, String path) {
        switch (tree) {
            case JoinTree.Rows rows -> rows(value, rows, path);
            case JoinTree.Aggregate aggregate -> aggregate(value, aggregate, path);
            case JoinTree.Answer answer -> answer(value, answer, path);
        }
    }

    private void rows(JsonNode value, JoinTree.Rows tree, String path) {
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                row(array.get(i), tree, path + "[" + i + "]");
            }
        } else {
            row(value, tree, path);
        }
    }

    private void row(JsonNode value, JoinTree.Rows tree, String path) {
        if (!(value instanceof ObjectNode row)) {
            return;
        }
        for (JoinTree.RowStep step : tree.steps()) {
            switch (step) {
                case JoinTree.RowJoin join -> remote.computeIfAbsent(join.join(), j -> new ArrayList<>())
                        .add(new KeyBatch.Target(row, path + "." + join.join().alias(), phantomKey(row, join.join())));
                case JoinTree.RowTableJoin join -> objects(join.join(), path).objects().add(row);
                case JoinTree.Below below -> collect(row.get(below.alias()), below.tree(), path + "." + below.alias());
            }
        }
    }

    private void aggregate(JsonNode value, JoinTree.Aggregate tree, String path) {
        if (value == null) {
            return;
        }
        for (JoinTree.Below nodes : tree.nodes()) {
            collect(value.get(nodes.alias()), nodes.tree(), path + "." + nodes.alias());
        }
    }

    /**
     * The joins into one remote answer: the objects at each joined table's path, and the objects at
     * each joined remote schema's path, their keys taken out.
     */
    private void answer(JsonNode answer, JoinTree.Answer tree, String path) {
        for (JoinTree.TableJoin join : tree.tables()) {
            objectsAt(answer, join.join().path(), 0, objects(join, path).objects());
        }
        for (JoinTree.AnswerJoin join : tree.remotes()) {
            List<KeyBatch.Target> targets = new ArrayList<>();
            targetsAt(answer, join, 0, path, targets);
            if (!targets.isEmpty()) {
                remote.computeIfAbsent(join.join(), j -> new ArrayList<>()).addAll(targets);
            }
        }
    }

    private TableObjects objects(JoinTree.TableJoin join, String path) {
        return tables.computeIfAbsent(join, j -> new TableObjects(new ArrayList<>(), path));
    }

    /** A table row's phantom key: the array of its key columns' values, taken out of the row (null: none). */
    private static List<JsonNode> phantomKey(ObjectNode row, JoinTree.RemoteJoin join) {
        JsonNode key = row.remove(join.spec().phantomKey());
        if (key == null || !key.isArray()) {
            return null;
        }
        List<JsonNode> values = new ArrayList<>(key.size());
        key.forEach(values::add);
        return values;
    }

    /** The objects at a remote schema join's path below {@code value}, as targets with their keys taken out. */
    private static void targetsAt(JsonNode value, JoinTree.AnswerJoin join, int step, String path, List<KeyBatch.Target> out) {
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                targetsAt(array.get(i), join, step, path + "[" + i + "]", out);
            }
            return;
        }
        if (!(value instanceof ObjectNode object)) {
            return;
        }
        if (step < join.path().size()) {
            String key = join.path().get(step);
            targetsAt(object.get(key), join, step + 1, path + "." + key, out);
            return;
        }
        String alias = join.join().alias();
        out.add(new KeyBatch.Target(object, path + "." + alias, takeKey(object, join.keyAliases(), alias)));
    }

    private static void objectsAt(JsonNode value, List<String> path, int step, List<ObjectNode> out) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value instanceof ArrayNode array) {
            array.forEach(item -> objectsAt(item, path, step, out));
            return;
        }
        if (!(value instanceof ObjectNode object)) {
            return;
        }
        if (step == path.size()) {
            out.add(object);
            return;
        }
        objectsAt(object.get(path.get(step)), path, step + 1, out);
    }

    /**
     * A table join's objects with their keys taken out (phantom fields of a remote answer or of a
     * row), as one batch. Runs while the level is collected; see Note [Joins of one level].
     */
    static KeyBatch tableBatch(JoinTree.TableJoin join, TableObjects found) {
        List<KeyBatch.Target> targets = new ArrayList<>(found.objects().size());
        for (ObjectNode object : found.objects()) {
            targets.add(new KeyBatch.Target(object, found.path(), takeKey(object, join.join().keyAliases(), join.join().alias())));
        }
        return KeyBatch.of(targets);
    }

    /**
     * Takes a join's phantom key fields out of an object, in key order (null for one that is
     * missing), and leaves a null placeholder for the joined field: where the first key field was
     * when the object has no such field yet. See Note [Joins of one level].
     */
    private static List<JsonNode> takeKey(ObjectNode object, List<String> keyAliases, String alias) {
        List<JsonNode> key = new ArrayList<>(keyAliases.size());
        for (String keyAlias : keyAliases) {
            JsonNode part = object.get(keyAlias);
            key.add(part == null ? NullNode.getInstance() : part);
        }
        if (object.has(alias)) {
            object.remove(keyAliases);
            return key;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        object.properties().forEach(field -> {
            if (!keyAliases.contains(field.getKey())) {
                fields.put(field.getKey(), field.getValue());
            } else if (!fields.containsKey(alias)) {
                fields.put(alias, NullNode.getInstance());
            }
        });
        fields.putIfAbsent(alias, NullNode.getInstance());
        object.removeAll();
        object.setAll(fields);
        return key;
    }
}
