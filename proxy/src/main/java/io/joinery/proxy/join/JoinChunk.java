package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.GraphqlDocuments;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.remote.RemoteFailure;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.telemetry.CallOutcome;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.SpanNames;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request's share of a remote join: the distinct key tuples from {@code offset} on, the
 * request's context, where the values and errors of its keys go, and where its call reports. Requests of one join run
 * concurrently, each writing only its own keys' slots.
 */
final class JoinChunk {

    final JoinSpec join;
    final RemoteSchema remote;
    final List<List<JsonNode>> keys;
    final int offset;
    final Map<String, String> forwardedHeaders;
    private final Map<String, Object> variables;
    private final List<JsonNode> results;
    private final List<JoinError> errors;
    private final KeyBatch batch;
    private final JoinCalls calls;
    /** The error of this chunk's request when the remote could not answer it; null otherwise. */
    volatile JoinError failed;

    JoinChunk(JoinSpec join, RemoteSchema remote, List<List<JsonNode>> keys, int offset, Map<String, Object> variables,
              Map<String, String> forwardedHeaders, List<JsonNode> results, List<JoinError> errors, KeyBatch batch, JoinCalls calls) {
        this.join = join;
        this.remote = remote;
        this.keys = keys;
        this.offset = offset;
        this.variables = variables;
        this.forwardedHeaders = forwardedHeaders;
        this.results = results;
        this.errors = errors;
        this.batch = batch;
        this.calls = calls;
    }

    /** A key tuple as a row: key column → value. */
    static Map<String, JsonNode> row(JoinSpec join, List<JsonNode> key) {
        Map<String, JsonNode> row = new HashMap<>();
        for (int c = 0; c < join.keyColumns().size(); c++) {
            row.put(join.keyColumns().get(c), key.get(c));
        }
        return row;
    }

    void result(int i, JsonNode value) {
        results.set(offset + i, value);
    }

    void error(String message, String path) {
        synchronized (errors) {
            errors.add(new JoinError(message, path));
        }
    }

    /** The response path of the first row that has the chunk's key {@code i}. */
    String keyPath(int i) {
        return batch.path(offset + i);
    }

    /** Where an error that concerns the whole request is reported: the first row of its first key. */
    String firstPath() {
        return keyPath(0);
    }

    /** The fragments the client's selection uses. */
    Set<String> fragmentNames() {
        return GraphqlDocuments.fragments(GraphqlDocuments.selections(join.selection()), join.fragments());
    }

    /** The client's variables the selection reads. */
    Set<String> variableNames(Set<String> fragmentNames) {
        // The client's arguments on the relationship's field go into the request too, with the variables they use.
        List<graphql.language.Selection> selections = new java.util.ArrayList<>(GraphqlDocuments.selections(join.selection()));
        selections.add(graphql.language.Field.newField("arguments").arguments(join.arguments()).build());
        return GraphqlDocuments.variables(selections, join.fragments(), fragmentNames);
    }

    Map<String, Object> variables(Set<String> names) {
        Map<String, Object> used = new HashMap<>();
        names.forEach(name -> used.put(name, variables.get(name)));
        return used;
    }

    /**
     * Sends the request; a remote that cannot answer leaves the chunk's keys as they are and adds
     * one error. Returns null then.
     */
    JsonNode post(String query, Map<String, Object> requestVariables) {
        long start = System.nanoTime();
        try (ClientCall call = calls.observation().startCall(calls.span(), SpanNames.HTTP_POST, remote.client().spanAttributes())) {
            JsonNode answer = remote.client().post(query, requestVariables, forwardedHeaders, call);
            calls.ended(keys.size(), start, answer.path("errors").isEmpty() ? CallOutcome.SUCCESS : CallOutcome.ERROR);
            return answer;
        } catch (RemoteFailure failure) {
            calls.ended(keys.size(), start, failure.timedOut() ? CallOutcome.TIMEOUT : CallOutcome.ERROR);
            synchronized (errors) {
                failed = JoinError.of(failure, firstPath());
                errors.add(failed);
            }
            return null;
        }
    }

    /** Appends the rest of a remote error path ({@code from} on) to a response path. */
    static String append(String path, JsonNode remotePath, int from) {
        StringBuilder out = new StringBuilder(path);
        for (int p = from; p < remotePath.size(); p++) {
            out.append(remotePath.get(p).isInt() ? "[" + remotePath.get(p).asInt() + "]" : "." + remotePath.get(p).asText());
        }
        return out.toString();
    }
}
