package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import graphql.language.Selection;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.GraphqlLiterals;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.JoinForm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-key form of a remote join ({@link JoinForm.PerKey}): one aliased field per distinct key
 * of the chunk, {@code f0: profile(authorId: 1) { … } f1: profile(authorId: 2) { … }}, in ONE
 * request; the value of key {@code i} is the answer at {@code f<i>}.
 */
record PerKeyJoin() implements RemoteForm {

    @Override
    public void send(JoinChunk chunk) {
        JoinSpec join = chunk.join;
        String query;
        Map<String, Object> used;
        try {
            Set<String> fragmentNames = chunk.fragmentNames();
            Set<String> variableNames = chunk.variableNames(fragmentNames);
            query = query(join, chunk.remote, chunk.keys, fragmentNames, variableNames);
            used = chunk.variables(variableNames);
        } catch (RuntimeException e) {
            chunk.error("remote relationship '" + join.alias() + "' cannot be sent to remote schema '"
                    + chunk.remote.name() + "': " + e.getMessage(), chunk.firstPath());
            return;
        }
        JsonNode response = chunk.post(query, used);
        if (response == null) {
            return;
        }
        JsonNode data = response.path("data");
        for (int i = 0; i < chunk.keys.size(); i++) {
            JsonNode value = data.path("f" + i);
            for (int step = 1; step < join.path().size() && !value.isMissingNode() && !value.isNull(); step++) {
                value = value.path(join.path().get(step).field());
            }
            chunk.result(i, value.isMissingNode() ? NullNode.getInstance() : value);
        }
        for (JsonNode error : response.path("errors")) {
            chunk.error("remote schema '" + chunk.remote.name() + "': " + error.path("message").asText("error"), pathOf(error, chunk));
        }
    }

    @Override
    public Explanation explain(JoinSpec join, String call, String selection) {
        return new Explanation("one request per level, one aliased field per distinct key " + join.keyColumns(),
                "query JoineryJoin { f0: " + call + selection + " f1: ... }");
    }

    /** Maps a remote error path {@code ["f3", "name"]} (aliases count from 0 in each chunk) to the first row with that key. */
    private static String pathOf(JsonNode error, JoinChunk chunk) {
        JsonNode path = error.path("path");
        if (path.isArray() && !path.isEmpty() && path.get(0).asText().matches("f\\d+")) {
            int key = Integer.parseInt(path.get(0).asText().substring(1));
            if (key < chunk.keys.size()) {
                return JoinChunk.append(chunk.keyPath(key), path, chunk.join.path().size());
            }
        }
        return chunk.firstPath();
    }

    @SuppressWarnings("rawtypes")
    private static String query(JoinSpec join, RemoteSchema remote, List<List<JsonNode>> keys, Set<String> fragmentNames,
                                Set<String> variableNames) {
        List<Selection> fields = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Map<String, JsonNode> row = JoinChunk.row(join, keys.get(i));
            fields.add(JoinDocuments.pathField(join, remote, (template, type) -> GraphqlLiterals.fill(template, type, row), join.selection(), "f" + i));
        }
        return JoinDocuments.document(join, "JoineryJoin", List.of(), fields, fragmentNames, variableNames);
    }
}
