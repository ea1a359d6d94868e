package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.remote.RemoteRootExecutor;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The remote root fields of an operation: ONE request per remote, started before the SQL so both
 * run at once, and each field's value from its remote's answer (under a namespace field: its
 * sub-fields' values, in the client's order).
 */
final class RemoteRoots {

    private final Map<String, RemoteSchema> remotes;
    private final JoinContext context;
    private final ExecutorService threads;
    private final Map<String, Future<RemoteRootExecutor.Result>> answers = new LinkedHashMap<>();

    RemoteRoots(Map<String, RemoteSchema> remotes, JoinContext context, ExecutorService threads) {
        this.remotes = remotes;
        this.context = context;
        this.threads = threads;
    }

    /** Sends the remote root fields, ONE request per remote, without waiting for the answers. */
    void start(Map<String, List<Field>> byRemote) {
        OperationDefinition operation = context.operation();
        RequestObservation observation = context.observation();
        var parent = observation.parent();
        byRemote.forEach((name, fields) -> {
            RemoteSchema remote = remotes.get(name);
            answers.put(name, threads.submit(() -> observation.inSpan(parent, SpanNames.REMOTE_CALL, Map.of(SpanNames.REMOTE, name), () -> {
                long start = System.nanoTime();
                RemoteRootExecutor.Result result;
                try (ClientCall call = observation.startCall(observation.parent(), SpanNames.HTTP_POST, remote.client().spanAttributes())) {
                    result = RemoteRootExecutor.execute(remote, operation.getOperation(), fields, context.fragments(),
                            operation.getVariableDefinitions(), context.variables(), RemoteHeaders.of(remote, context.clientHeaders(), context.session()),
                            call);
                }
                observation.remoteCalled(name, System.nanoTime() - start, result.errors().isEmpty());
                JoinFailures.report(observation, "remote schema '" + name + "' (root fields)", result.errors());
                return result;
            })));
        });
    }

    /** The value of a remote root field, waiting for its remote's answer. */
    JsonNode value(RootField.Remote field) throws ExecutionException, InterruptedException {
        RemoteRootExecutor.Result result = answers.get(field.remote()).get();
        return field.namespaced() ? namespace(field, result) : result.values().get(field.alias());
    }

    /** The answer under a remote's namespace field: its sub-fields' values, in the client's order. */
    private JsonNode namespace(RootField.Remote field, RemoteRootExecutor.Result result) {
        if (!result.errors().isEmpty() && result.values().values().stream().allMatch(JsonNode::isNull)) {
            return NullNode.getInstance();
        }
        ObjectNode wrapper = JsonNodeFactory.instance.objectNode();
        String typeName = context.operation().getOperation() == OperationDefinition.Operation.MUTATION ? "_mutation" : "_query";
        for (Selection<?> selection : field.field().getSelectionSet().getSelections()) {
            if (selection instanceof Field sub) {
                wrapper.set(sub.getResultKey(), sub.getName().equals("__typename")
                        ? JsonNodeFactory.instance.textNode(field.field().getName() + typeName) : result.values().get(sub.getResultKey()));
            }
        }
        return wrapper;
    }

    /** Errors of the remote root fields, once all of them have answered. */
    List<JoinError> errors() {
        List<JoinError> out = new ArrayList<>();
        for (String remote : answers.keySet()) {
            try {
                out.addAll(answers.get(remote).get().errors());
            } catch (Exception e) {
                out.add(new JoinError("remote schema '" + remote + "' failed", "$"));
            }
        }
        return out;
    }
}
