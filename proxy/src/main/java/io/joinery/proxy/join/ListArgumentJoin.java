package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.GraphqlDocuments;
import io.joinery.proxy.remote.GraphqlLiterals;
import io.joinery.proxy.schema.JoinForm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list-argument form of a remote join ({@link JoinForm.ListArgument}): the chunk's distinct
 * keys go in the argument template of ONE field ({@code f0: profiles(authorIds: [1, 2, 3]) { … }}),
 * so the remote resolves the batch once. The result fields that carry the key are added to the
 * selection under phantom aliases no field of the selection uses; the results are matched back to
 * the keys by them, whatever the order of the answer, and the phantom fields removed.
 * See Note [Phantom join keys].
 */
record ListArgumentJoin(JoinForm.ListArgument form) implements RemoteForm {

    static final String MATCH_PREFIX = "__joinery_match_";
    private static final String ALIAS = "f0";

    @Override
    public void send(JoinChunk chunk) {
        JoinSpec join = chunk.join;
        List<String> phantoms = phantomAliases(join.selection(), join.fragments(), form.keyFields().size());
        String query;
        Map<String, Object> used;
        try {
            List<Selection> selections = new ArrayList<>(GraphqlDocuments.selections(join.selection()));
            for (int k = 0; k < phantoms.size(); k++) {
                selections.add(Field.newField(form.keyFields().get(k)).alias(phantoms.get(k)).build());
            }
            SelectionSet selection = SelectionSet.newSelectionSet().selections(selections).build();
            Set<String> fragmentNames = chunk.fragmentNames();
            Set<String> variableNames = chunk.variableNames(fragmentNames);
            GraphqlLiterals.KeyVariables keys = new GraphqlLiterals.KeyVariables();
            Field field = JoinDocuments.pathField(join, chunk.remote,
                    (template, type) -> GraphqlLiterals.fillBatch(template, type, join.keyColumns(), chunk.keys, keys), selection, ALIAS);
            query = JoinDocuments.document(join, "JoineryBatchJoin", keys.definitions, List.of(field), fragmentNames, variableNames);
            used = new java.util.HashMap<>(chunk.variables(variableNames));
            used.putAll(keys.values);
        } catch (RuntimeException e) {
            chunk.error("remote relationship '" + join.alias() + "' cannot be sent to remote schema '"
                    + chunk.remote.name() + "': " + e.getMessage(), chunk.firstPath());
            return;
        }
        JsonNode response = chunk.post(query, used);
        if (response == null) {
            return;
        }
        JsonNode list = response.path("data").path(ALIAS);
        for (int step = 1; step < join.path().size() && list.isObject(); step++) {
            list = list.path(join.path().get(step).field());
        }
        Matches matches = list.isArray() ? match(chunk, form, phantoms, list) : null;
        if (matches == null && !list.isMissingNode() && !list.isNull()) {
            chunk.error("remote schema '" + chunk.remote.name() + "' answered " + join.path().getLast().field()
                    + " with something other than a list", chunk.firstPath());
        }
        for (JsonNode error : response.path("errors")) {
            chunk.error("remote schema '" + chunk.remote.name() + "': " + error.path("message").asText("error"),
                    pathOf(error, chunk, form, matches));
        }
    }

    @Override
    public Explanation explain(JoinSpec join, String call, String selection) {
        return new Explanation("one request per level, the distinct keys " + join.keyColumns()
                + " in one list argument, results matched by " + form.keyFields() + (form.array() ? ", grouped per key" : ""),
                "query JoineryBatchJoin { f0: " + call + selection + " }");
    }

    /** Which key each element of the answer went to, and at which position of that key's list. */
    private record Matches(int[] elementKey, int[] elementPosition) {
    }

    private static Matches match(JoinChunk chunk, JoinForm.ListArgument form, List<String> phantoms, JsonNode list) {
        Map<List<String>, List<Integer>> byKey = new LinkedHashMap<>();
        for (int e = 0; e < list.size(); e++) {
            if (!(list.get(e) instanceof ObjectNode element)) {
                continue;
            }
            List<String> key = new ArrayList<>(phantoms.size());
            for (String phantom : phantoms) {
                JsonNode value = element.remove(phantom);
                key.add(value == null || value.isNull() ? null : canonical(value));
            }
            if (!key.contains(null)) {
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        int[] elementKey = new int[list.size()];
        int[] elementPosition = new int[list.size()];
        Arrays.fill(elementKey, -1);
        for (int i = 0; i < chunk.keys.size(); i++) {
            List<Integer> found = byKey.getOrDefault(canonical(chunk.keys.get(i)), List.of());
            for (int p = 0; p < found.size(); p++) {
                elementKey[found.get(p)] = i;
                elementPosition[found.get(p)] = p;
            }
            if (form.array()) {
                ArrayNode values = JsonNodeFactory.instance.arrayNode(found.size());
                found.forEach(e -> values.add(list.get(e)));
                chunk.result(i, values);
            } else if (found.size() == 1) {
                chunk.result(i, list.get(found.getFirst()));
            } else if (found.size() > 1) {
                chunk.result(i, NullNode.getInstance());
                chunk.error("remote schema '" + chunk.remote.name() + "' returned " + found.size() + " results of "
                        + chunk.join.path().getLast().field() + " for the key " + label(form, chunk.keys.get(i))
                        + " of remote relationship '" + chunk.join.alias() + "', which takes one", chunk.keyPath(i));
            }
        }
        return new Matches(elementKey, elementPosition);
    }

    /**
     * A key value as text, so that the row's value and the remote's compare whatever their JSON
     * types: {@code 1}, {@code 1.0} and {@code "1"} (an {@code ID}) are the same key.
     */
    static String canonical(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    static List<String> canonical(List<JsonNode> tuple) {
        List<String> key = new ArrayList<>(tuple.size());
        tuple.forEach(value -> key.add(canonical(value)));
        return key;
    }

    private static String label(JoinForm.ListArgument form, List<JsonNode> key) {
        StringBuilder out = new StringBuilder("(");
        for (int c = 0; c < key.size(); c++) {
            out.append(c == 0 ? "" : ", ").append(form.keyFields().get(c)).append(": ").append(key.get(c));
        }
        return out.append(")").toString();
    }

    /** A remote error path {@code ["f0", …path, 3, "name"]} → the row of the key that element 3 went to. */
    private static String pathOf(JsonNode error, JoinChunk chunk, JoinForm.ListArgument form, Matches matches) {
        JsonNode path = error.path("path");
        int index = chunk.join.path().size();
        if (matches == null || !path.isArray() || path.size() <= index || !path.get(index).isInt()) {
            return chunk.firstPath();
        }
        int element = path.get(index).asInt();
        if (element < 0 || element >= matches.elementKey().length || matches.elementKey()[element] < 0) {
            return chunk.firstPath();
        }
        String row = chunk.keyPath(matches.elementKey()[element]);
        if (form.array()) {
            row = row + "[" + matches.elementPosition()[element] + "]";
        }
        return JoinChunk.append(row, path, index + 1);
    }

    /** {@code count} aliases that no response key of the selection uses (fragments included). */
    static List<String> phantomAliases(SelectionSet selection, Map<String, FragmentDefinition> fragments, int count) {
        Set<String> taken = new HashSet<>();
        responseKeys(GraphqlDocuments.selections(selection), fragments, new HashSet<>(), taken);
        List<String> aliases = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            String alias = MATCH_PREFIX + k;
            while (taken.contains(alias)) {
                alias = alias + "_";
            }
            taken.add(alias);
            aliases.add(alias);
        }
        return aliases;
    }

    @SuppressWarnings("rawtypes")
    private static void responseKeys(List<Selection> selections, Map<String, FragmentDefinition> fragments, Set<String> seen,
                                     Set<String> keys) {
        for (Selection selection : selections) {
            switch (selection) {
                case Field field -> keys.add(field.getResultKey());
                case InlineFragment inline -> responseKeys(GraphqlDocuments.selections(inline.getSelectionSet()), fragments, seen, keys);
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    if (definition != null && seen.add(spread.getName())) {
                        responseKeys(GraphqlDocuments.selections(definition.getSelectionSet()), fragments, seen, keys);
                    }
                }
                default -> {
                }
            }
        }
    }
}
