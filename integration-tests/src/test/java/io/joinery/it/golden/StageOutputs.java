package io.joinery.it.golden;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder.Execution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the stages of one operation produced, written as the golden files show it: the statements each
 * source was sent (text laid out by {@link SqlLayout}, then the bind values) and the documents each
 * remote server received.
 */
final class StageOutputs {

    private StageOutputs() {
    }

    /**
     * The statements by source, each source's in the order Postgres received them; sorted by text when
     * {@code unordered} (the case's statements run concurrently, so their order is not the engine's to keep).
     */
    static String sql(Map<String, List<Execution>> bySource, boolean unordered) {
        StringBuilder out = new StringBuilder();
        bySource.forEach((source, executions) -> {
            List<String> blocks = new ArrayList<>();
            for (Execution execution : executions) {
                blocks.add(SqlLayout.of(execution.sql()) + "\n-- params: " + params(execution.params()) + "\n");
            }
            if (unordered) {
                blocks.sort(Comparator.naturalOrder());
            }
            for (int i = 0; i < blocks.size(); i++) {
                out.append("-- ").append(source).append(": statement ").append(i + 1).append(" of ").append(blocks.size())
                        .append(unordered ? " (sorted: sent concurrently)" : "").append('\n').append(blocks.get(i)).append('\n');
            }
        });
        return out.isEmpty() ? "-- no statements\n" : out.toString();
    }

    private static String params(List<String> params) {
        if (params.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            out.append(i == 0 ? "" : ", ").append('$').append(i + 1).append(" = ").append(params.get(i));
        }
        return out.toString();
    }

    /**
     * The documents by remote, each remote's sorted by their text: the engine sends a remote's root fields,
     * its joins of one level and the chunks of one join concurrently, so arrival order is not its to keep
     * (a root field's document and a join's differ in text anyway).
     */
    static String remote(Map<String, List<String>> byRemote) {
        StringBuilder out = new StringBuilder();
        byRemote.forEach((remote, bodies) -> {
            List<String> documents = new ArrayList<>(bodies.stream().map(StageOutputs::document).toList());
            documents.sort(Comparator.naturalOrder());
            for (int i = 0; i < documents.size(); i++) {
                out.append("# ").append(remote).append(": document ").append(i + 1).append(" of ").append(documents.size()).append('\n')
                        .append(documents.get(i)).append('\n');
            }
        });
        return out.isEmpty() ? "# no documents\n" : out.toString();
    }

    /** A request body: the query as sent, then every other member (variables, operationName) as compact JSON. */
    private static String document(String body) {
        JsonNode request = JsonTrees.parse(body);
        StringBuilder out = new StringBuilder(request.path("query").asText()).append('\n');
        request.properties().forEach(member -> {
            if (!member.getKey().equals("query")) {
                out.append(member.getKey()).append(": ").append(JsonTrees.write(member.getValue())).append('\n');
            }
        });
        return out.toString();
    }

    /** The whole answer, pretty-printed in the order of its keys (the order is part of the answer). */
    static String response(int status, JsonNode body) {
        return (status == 200 ? "" : "HTTP " + status + "\n") + JsonTrees.pretty(body) + "\n";
    }
}
