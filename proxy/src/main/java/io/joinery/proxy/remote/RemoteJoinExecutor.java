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
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.schema.JoinForm;
import io.joinery.proxy.schema.RemotePathStep;

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
 * Executes one remote join for all the rows of one level that carry it: reads each row's key (a
 * table row's phantom key, or the phantom key fields of an object of a remote answer), skips rows
 * with a null key component (their field is null, or [] for an array join; no call), deduplicates
 * the key tuples, and sends them in ONE request — or several concurrent ones
 * when there are more keys than the remote's batch size. How the keys travel is the join's
 * {@link JoinForm}: one aliased field per key ({@code f0: profile(authorId: 1) { … } f1: …},
 * here), one list argument ({@link ListArgumentJoin}) or {@code _entities} ({@link EntitiesJoin}).
 * Results go back to every row of their key; a failed call yields nulls and one error.
 */
public final class RemoteJoinExecutor {

    private RemoteJoinExecutor() {
    }

    /**
     * A row carrying the join (a table row, or an object of a remote answer), where the joined
     * field is in the response (for error paths), and its key: the array of its key values in
     * {@code keyColumns} order, taken out of the row when it was collected (null: no key).
     */
    public record JoinRow(ObjectNode row, String path, JsonNode key) {
    }

    /** The outcome: the number of HTTP calls made and the errors to report. */
    public record Outcome(int calls, List<JoinError> errors) {
    }

    public static Outcome execute(JoinSpec join, RemoteSchema remote, List<JoinRow> rows, Map<String, Object> variables,
                                  Map<String, String> forwardedHeaders) {
        Map<List<JsonNode>, Integer> keyIndex = new LinkedHashMap<>();
        List<Integer> rowKey = new ArrayList<>(rows.size());
        List<String> keyPaths = new ArrayList<>();
        for (JoinRow joinRow : rows) {
            Integer index = keyOf(joinRow.key(), keyIndex);
            if (index != null && index == keyPaths.size()) {
                keyPaths.add(joinRow.path());
            }
            rowKey.add(index);
        }
        List<List<JsonNode>> keys = new ArrayList<>(keyIndex.keySet());
        List<JsonNode> results = new ArrayList<>(java.util.Collections.nCopies(keys.size(), NullNode.getInstance()));
        List<JoinError> errors = new ArrayList<>();
        int batch = remote.config().batch();
        int calls = (keys.size() + batch - 1) / batch;
        List<JoinChunk> chunks = new ArrayList<>(calls);
        for (int start = 0; start < keys.size(); start += batch) {
            chunks.add(new JoinChunk(join, remote, keys.subList(start, Math.min(keys.size(), start + batch)), start, variables,
                    forwardedHeaders, results, errors, keyPaths));
        }
        if (calls == 1) {
            send(chunks.getFirst());
        } else if (calls > 1) {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> futures = new ArrayList<>();
                for (JoinChunk chunk : chunks) {
                    futures.add(pool.submit(() -> send(chunk)));
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
        stitch(join, rows, rowKey, results);
        return new Outcome(calls, errors);
    }

    /**
     * Puts each key's value into its rows. Rows that share a key get copies of it, not the same
     * node: later stages edit the values in place (joins into remote answers remove their phantom
     * fields and set theirs), which must happen once per row.
     */
    private static void stitch(JoinSpec join, List<JoinRow> rows, List<Integer> rowKey, List<JsonNode> results) {
        boolean[] placed = new boolean[results.size()];
        for (int i = 0; i < rows.size(); i++) {
            Integer index = rowKey.get(i);
            JsonNode value;
            if (index == null) {
                value = join.form().array() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode() : NullNode.getInstance();
            } else {
                value = placed[index] ? results.get(index).deepCopy() : results.get(index);
                placed[index] = true;
            }
            rows.get(i).row().set(join.alias(), value);
        }
    }

    /** How a join will call its remote, for {@code /v1/graphql/explain}: the calls it makes and the shape of its request. */
    public record Explanation(String calls, String query) {
    }

    /** The calls and the request shape of a join, its keys known only at run time. */
    public static Explanation explain(JoinSpec join) {
        String selection = join.selection() == null ? "" : " " + AstPrinter.printAstCompact(join.selection());
        StringBuilder call = new StringBuilder();
        for (RemotePathStep step : join.path()) {
            call.append(call.isEmpty() ? "" : " { ").append(step.field())
                    .append(step.arguments() == null ? "" : "(" + step.arguments() + ")");
        }
        return switch (join.form()) {
            case JoinForm.PerKey perKey -> new Explanation("one request per level, one aliased field per distinct key "
                    + join.keyColumns(), "query JoineryJoin { f0: " + call + selection + " f1: ... }");
            case JoinForm.ListArgument list -> new Explanation("one request per level, the distinct keys " + join.keyColumns()
                    + " in one list argument, results matched by " + list.keyFields() + (list.array() ? ", grouped per key" : ""),
                    "query JoineryBatchJoin { f0: " + call + selection + " }");
            case JoinForm.Entities entities -> new Explanation("one request per level, one _entities representation per distinct key "
                    + join.keyColumns(), "query JoineryEntities($joinery_representations: [_Any!]!) { _entities(representations: "
                    + "[{__typename: \"" + entities.typename() + "\", " + String.join(", ", entities.keyFields())
                    + "}, ...]) { ... on " + entities.typename() + selection + " } }");
        };
    }

    private static void send(JoinChunk chunk) {
        switch (chunk.join.form()) {
            case JoinForm.PerKey perKey -> call(chunk);
            case JoinForm.ListArgument list -> ListArgumentJoin.send(chunk, list);
            case JoinForm.Entities entities -> EntitiesJoin.send(chunk, entities);
        }
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

    /** The per-key form: one aliased field per key of the chunk. */
    private static void call(JoinChunk chunk) {
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

    static String query(JoinSpec join, RemoteSchema remote, List<List<JsonNode>> keys, Set<String> fragmentNames, Set<String> variableNames) {
        List<Selection> fields = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Map<String, JsonNode> row = new HashMap<>();
            for (int c = 0; c < join.keyColumns().size(); c++) {
                row.put(join.keyColumns().get(c), keys.get(i).get(c));
            }
            fields.add(pathField(join, remote, (template, type) -> GraphqlLiterals.fill(template, type, row), join.selection(), "f" + i));
        }
        return document(join, "JoineryJoin", List.of(), fields, fragmentNames, variableNames);
    }

    /**
     * The request document: one query named {@code name} with the given selections, the client's
     * variable definitions it uses after {@code extraDefinitions}, and the client's fragments it uses.
     */
    static String document(JoinSpec join, String name, List<VariableDefinition> extraDefinitions, List<Selection> fields,
                           Set<String> fragmentNames, Set<String> variableNames) {
        List<VariableDefinition> definitions = new ArrayList<>(extraDefinitions);
        join.variableDefinitions().stream().filter(d -> variableNames.contains(d.getName())).forEach(definitions::add);
        OperationDefinition operation = OperationDefinition.newOperationDefinition()
                .operation(OperationDefinition.Operation.QUERY)
                .name(name)
                .variableDefinitions(definitions)
                .selectionSet(SelectionSet.newSelectionSet().selections(fields).build())
                .build();
        List<Definition> definitionsOut = new ArrayList<>();
        definitionsOut.add(operation);
        fragmentNames.forEach(fragment -> definitionsOut.add(join.fragments().get(fragment)));
        return AstPrinter.printAstCompact(Document.newDocument().definitions(definitionsOut).build());
    }

    /** Fills one argument template for the type the remote declares (null when it declares none). */
    @FunctionalInterface
    interface ArgumentFiller {
        graphql.language.Value<?> fill(JsonNode template, graphql.schema.GraphQLInputType type);
    }

    /** The join's remote path as nested fields, outermost aliased {@code alias}, the innermost selecting {@code selection}. */
    static Field pathField(JoinSpec join, RemoteSchema remote, ArgumentFiller filler, SelectionSet selection, String alias) {
        return pathField(join, 0, remote.schema().getQueryType(), filler, selection, alias);
    }

    private static Field pathField(JoinSpec join, int step, GraphQLFieldsContainer parent, ArgumentFiller filler,
                                   SelectionSet innermost, String alias) {
        RemotePathStep pathStep = join.path().get(step);
        GraphQLFieldDefinition definition = parent.getFieldDefinition(pathStep.field());
        if (definition == null) {
            throw new IllegalStateException("field " + pathStep.field() + " does not exist on " + parent.getName());
        }
        List<graphql.language.Argument> arguments = new ArrayList<>();
        if (pathStep.arguments() != null) {
            pathStep.arguments().properties().forEach(e -> {
                GraphQLArgument argument = definition.getArgument(e.getKey());
                arguments.add(graphql.language.Argument.newArgument(e.getKey(),
                        filler.fill(e.getValue(), argument == null ? null : argument.getType())).build());
            });
        }
        SelectionSet selection;
        if (step + 1 < join.path().size()) {
            GraphQLType type = unwrap(definition.getType());
            if (!(type instanceof GraphQLFieldsContainer container)) {
                throw new IllegalStateException("field " + pathStep.field() + " has no fields to follow");
            }
            selection = SelectionSet.newSelectionSet().selection(pathField(join, step + 1, container, filler, innermost, null)).build();
        } else {
            selection = innermost;
        }
        return Field.newField(pathStep.field()).alias(alias).arguments(arguments).selectionSet(selection).build();
    }

    /** The named type under any list and non-null wrappers. */
    static graphql.schema.GraphQLType unwrap(graphql.schema.GraphQLType type) {
        return graphql.schema.GraphQLTypeUtil.unwrapAll(type);
    }

    static GraphQLOutputType type(RemoteSchema remote, JoinSpec join) {
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLOutputType type = null;
        for (RemotePathStep step : join.path()) {
            GraphQLFieldDefinition definition = parent.getFieldDefinition(step.field());
            type = definition.getType();
            if (unwrap(type) instanceof GraphQLFieldsContainer container) {
                parent = container;
            }
        }
        return type;
    }
}
