package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Executes one remote join for all the rows of one level that carry it: reads each row's phantom
 * key, skips rows with a null key component (their field is null, no call), deduplicates the key
 * tuples, and sends ONE request with one aliased field per distinct key ({@code f0: profile(authorId: 1)
 * { … } f1: …}) — or several concurrent requests when there are more keys than the remote's batch
 * size. Results go back to every row of their key; a failed call yields nulls and one error.
 */
public final class RemoteJoinExecutor {

    private RemoteJoinExecutor() {
    }

    /** A row carrying the join, and where it is in the response (for error paths). */
    public record JoinRow(ObjectNode row, String path) {
    }

    /** The outcome: the number of HTTP calls made and the errors to report. */
    public record Outcome(int calls, List<JoinError> errors) {
    }

    public static Outcome execute(RemoteJoin join, RemoteSchema remote, List<JoinRow> rows, Map<String, Object> variables,
                                  Map<String, String> forwardedHeaders) {
        Map<List<JsonNode>, Integer> keyIndex = new LinkedHashMap<>();
        List<Integer> rowKey = new ArrayList<>(rows.size());
        for (JoinRow joinRow : rows) {
            JsonNode key = joinRow.row().remove(join.phantomKey());
            rowKey.add(keyOf(key, keyIndex));
        }
        List<List<JsonNode>> keys = new ArrayList<>(keyIndex.keySet());
        List<JsonNode> results = new ArrayList<>(java.util.Collections.nCopies(keys.size(), NullNode.getInstance()));
        List<JoinError> errors = new ArrayList<>();
        int batch = remote.config().batch();
        int calls = (keys.size() + batch - 1) / batch;
        if (calls == 1) {
            call(join, remote, keys, 0, results, errors, variables, forwardedHeaders, rows, rowKey);
        } else if (calls > 1) {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (int start = 0; start < keys.size(); start += batch) {
                    int from = start;
                    List<List<JsonNode>> chunk = keys.subList(from, Math.min(keys.size(), from + batch));
                    futures.add(pool.submit(() -> call(join, remote, chunk, from, results, errors, variables, forwardedHeaders, rows, rowKey)));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            Integer index = rowKey.get(i);
            rows.get(i).row().set(join.alias(), index == null ? NullNode.getInstance() : results.get(index));
        }
        return new Outcome(calls, errors);
    }

    private static Integer keyOf(JsonNode key, Map<List<JsonNode>, Integer> keyIndex) {
        if (key == null || !key.isArray()) {
            return null;
        }
        List<JsonNode> values = new ArrayList<>(key.size());
        for (JsonNode value : key) {
            if (value.isNull()) {
                return null;
            }
            values.add(value);
        }
        return keyIndex.computeIfAbsent(values, k -> keyIndex.size());
    }

    private static void call(RemoteJoin join, RemoteSchema remote, List<List<JsonNode>> keys, int offset, List<JsonNode> results,
                             List<JoinError> errors, Map<String, Object> variables, Map<String, String> forwardedHeaders,
                             List<JoinRow> rows, List<Integer> rowKey) {
        String query;
        Map<String, Object> used;
        try {
            Set<String> fragmentNames = GraphqlDocuments.fragments(GraphqlDocuments.selections(join.selection()), join.fragments());
            Set<String> variableNames = GraphqlDocuments.variables(GraphqlDocuments.selections(join.selection()), join.fragments(), fragmentNames);
            query = query(join, remote, keys, fragmentNames, variableNames);
            used = new HashMap<>();
            variableNames.forEach(name -> used.put(name, variables.get(name)));
        } catch (RuntimeException e) {
            synchronized (errors) {
                errors.add(new JoinError("remote relationship '" + join.alias() + "' cannot be sent to remote schema '"
                        + remote.name() + "': " + e.getMessage(), firstPath(rows, rowKey, offset)));
            }
            return;
        }
        JsonNode response;
        try {
            response = remote.client().post(query, used, forwardedHeaders);
        } catch (RemoteFailure failure) {
            synchronized (errors) {
                errors.add(new JoinError(failure.getMessage(), firstPath(rows, rowKey, offset)));
            }
            return;
        }
        JsonNode data = response.path("data");
        for (int i = 0; i < keys.size(); i++) {
            JsonNode value = data.path("f" + i);
            for (int step = 1; step < join.path().size() && !value.isMissingNode() && !value.isNull(); step++) {
                value = value.path(join.path().get(step).field());
            }
            results.set(offset + i, value.isMissingNode() ? NullNode.getInstance() : value);
        }
        JsonNode remoteErrors = response.path("errors");
        if (remoteErrors.isArray()) {
            synchronized (errors) {
                for (JsonNode error : remoteErrors) {
                    errors.add(new JoinError("remote schema '" + remote.name() + "': " + error.path("message").asText("error"),
                            pathOf(error, rows, rowKey, offset, join)));
                }
            }
        }
    }

    /** The response path of the first row whose key is in the chunk starting at {@code offset}. */
    private static String firstPath(List<JoinRow> rows, List<Integer> rowKey, int offset) {
        for (int i = 0; i < rows.size(); i++) {
            Integer key = rowKey.get(i);
            if (key != null && key >= offset) {
                return rows.get(i).path();
            }
        }
        return rows.isEmpty() ? "$" : rows.getFirst().path();
    }

    /** Maps a remote error path {@code ["f3", "name"]} (aliases count from 0 in each chunk) to the first row with that key. */
    private static String pathOf(JsonNode error, List<JoinRow> rows, List<Integer> rowKey, int offset, RemoteJoin join) {
        JsonNode path = error.path("path");
        if (path.isArray() && !path.isEmpty() && path.get(0).asText().startsWith("f")) {
            try {
                int key = offset + Integer.parseInt(path.get(0).asText().substring(1));
                for (int i = 0; i < rows.size(); i++) {
                    if (Integer.valueOf(key).equals(rowKey.get(i))) {
                        StringBuilder out = new StringBuilder(rows.get(i).path());
                        for (int p = join.path().size(); p < path.size(); p++) {
                            out.append(path.get(p).isInt() ? "[" + path.get(p).asInt() + "]" : "." + path.get(p).asText());
                        }
                        return out.toString();
                    }
                }
            } catch (NumberFormatException e) {
                // not one of our aliases: report at the join's first row
            }
        }
        return firstPath(rows, rowKey, offset);
    }

    static String query(RemoteJoin join, RemoteSchema remote, List<List<JsonNode>> keys, Set<String> fragmentNames, Set<String> variableNames) {
        List<Selection> fields = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Map<String, JsonNode> row = new HashMap<>();
            for (int c = 0; c < join.keyColumns().size(); c++) {
                row.put(join.keyColumns().get(c), keys.get(i).get(c));
            }
            fields.add(pathField(join, remote, 0, remote.schema().getQueryType(), row, "f" + i));
        }
        List<VariableDefinition> definitions = join.variableDefinitions().stream()
                .filter(d -> variableNames.contains(d.getName())).toList();
        OperationDefinition operation = OperationDefinition.newOperationDefinition()
                .operation(OperationDefinition.Operation.QUERY)
                .name("JoineryJoin")
                .variableDefinitions(definitions)
                .selectionSet(SelectionSet.newSelectionSet().selections(fields).build())
                .build();
        List<Definition> definitionsOut = new ArrayList<>();
        definitionsOut.add(operation);
        fragmentNames.forEach(name -> definitionsOut.add(join.fragments().get(name)));
        return AstPrinter.printAstCompact(Document.newDocument().definitions(definitionsOut).build());
    }

    private static Field pathField(RemoteJoin join, RemoteSchema remote, int step, GraphQLFieldsContainer parent,
                                   Map<String, JsonNode> row, String alias) {
        RemoteJoin.PathStep pathStep = join.path().get(step);
        GraphQLFieldDefinition definition = parent.getFieldDefinition(pathStep.field());
        if (definition == null) {
            throw new IllegalStateException("field " + pathStep.field() + " does not exist on " + parent.getName());
        }
        List<graphql.language.Argument> arguments = new ArrayList<>();
        if (pathStep.arguments() != null) {
            pathStep.arguments().properties().forEach(e -> {
                GraphQLArgument argument = definition.getArgument(e.getKey());
                arguments.add(graphql.language.Argument.newArgument(e.getKey(),
                        GraphqlLiterals.fill(e.getValue(), argument == null ? null : argument.getType(), row)).build());
            });
        }
        SelectionSet selection;
        if (step + 1 < join.path().size()) {
            GraphQLType type = unwrap(definition.getType());
            if (!(type instanceof GraphQLFieldsContainer container)) {
                throw new IllegalStateException("field " + pathStep.field() + " has no fields to follow");
            }
            selection = SelectionSet.newSelectionSet().selection(pathField(join, remote, step + 1, container, row, null)).build();
        } else {
            selection = join.selection();
        }
        return Field.newField(pathStep.field()).alias(alias).arguments(arguments).selectionSet(selection).build();
    }

    static GraphQLType unwrap(GraphQLType type) {
        GraphQLType current = type;
        while (current instanceof GraphQLNonNull || current instanceof GraphQLList) {
            current = current instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : ((GraphQLList) current).getWrappedType();
        }
        return current;
    }

    static GraphQLOutputType type(RemoteSchema remote, RemoteJoin join) {
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLOutputType type = null;
        for (RemoteJoin.PathStep step : join.path()) {
            GraphQLFieldDefinition definition = parent.getFieldDefinition(step.field());
            type = definition.getType();
            if (unwrap(type) instanceof GraphQLFieldsContainer container) {
                parent = container;
            }
        }
        return type;
    }
}
