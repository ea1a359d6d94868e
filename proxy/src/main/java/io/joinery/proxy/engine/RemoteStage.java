package io.joinery.proxy.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.OperationDefinition;
import io.joinery.policies.Session;
import io.joinery.proxy.plan.AggregatePart;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RemoteRenames;
import io.joinery.proxy.plan.RemoteSchemaJoin;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.compile.SqlCompiler;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.sql.SqlQuery;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.RemoteJoinExecutor;
import io.joinery.proxy.remote.RemoteRootExecutor;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The remote part of an operation: its remote root fields (one request per remote, started
 * before the SQL so both run at once) and its joins (after the SQL or the remote's answer: one
 * call per join for all the rows or objects of the level, all joins of the level concurrently) —
 * remote schemas joined into rows and into remote answers, tables joined into remote answers and
 * from other sources. A remote that fails leaves nulls and errors; the rest of the response is intact.
 */
final class RemoteStage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "content-type", "connection",
            "transfer-encoding", "accept", "accept-encoding", "keep-alive", "upgrade", "te", "trailer",
            "x-joinery-admin-secret");

    private final EngineState state;
    private final QueryPlan plan;
    private final ParsedOperation parsed;
    private final Map<String, Object> variables;
    private final Session session;
    private final Map<String, String> clientHeaders;
    private final RequestObservation observation;
    private final boolean joins;
    private final CompiledQuery compiled;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Future<RemoteRootExecutor.Result>> roots = new LinkedHashMap<>();
    private final List<JoinError> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    RemoteStage(EngineState state, CompiledQuery compiled, ParsedOperation parsed, Map<String, Object> variables,
                Session session, Map<String, String> clientHeaders, RequestObservation observation) {
        this.joins = compiled.remoteJoins();
        this.compiled = compiled;
        QueryPlan plan = compiled.plan();
        this.state = state;
        this.plan = plan;
        this.parsed = parsed;
        this.variables = variables;
        this.session = session;
        this.clientHeaders = clientHeaders;
        this.observation = observation;
    }

    boolean hasJoins() {
        return joins;
    }

    /** Sends the remote root fields, one request per remote, without waiting for the answers. */
    void startRoots() {
        Map<String, List<graphql.language.Field>> byRemote = new LinkedHashMap<>();
        for (RootField root : plan.roots()) {
            if (root instanceof RootField.Remote remote && remote.namespaced()) {
                for (var selection : remote.field().getSelectionSet().getSelections()) {
                    if (selection instanceof graphql.language.Field field && !field.getName().equals("__typename")) {
                        byRemote.computeIfAbsent(remote.remote(), r -> new ArrayList<>()).add(field);
                    }
                }
            } else if (root instanceof RootField.Remote remote) {
                byRemote.computeIfAbsent(remote.remote(), r -> new ArrayList<>()).add(remote.field());
            }
        }
        OperationDefinition.Operation operation = parsed.operation().getOperation();
        var parent = observation.parent();
        byRemote.forEach((name, fields) -> {
            RemoteSchema remote = state.model().remotes().get(name);
            roots.put(name, threads.submit(() -> observation.inSpan(parent, SpanNames.REMOTE_CALL, Map.of(SpanNames.REMOTE, name), () -> {
                long start = System.nanoTime();
                RemoteRootExecutor.Result result = RemoteRootExecutor.execute(remote, operation, fields, parsed.fragments(),
                        parsed.operation().getVariableDefinitions(), variables, headersFor(remote));
                observation.remoteCalled(name, System.nanoTime() - start, result.errors().isEmpty());
                return result;
            })));
        });
    }

    /** The value of a remote root field, waiting for its remote's answer, with the tables joined into it. */
    JsonNode root(RootField.Remote field) {
        try {
            RemoteRootExecutor.Result result = roots.get(field.remote()).get();
            JsonNode value = field.namespaced() ? namespace(field, result) : result.values().get(field.alias());
            Level level = new Level();
            intoAnswer(level, value, "$." + field.alias(), field.tableJoins(), field.remoteJoins());
            resolve(level);
            return renamed(state.model().remotes().get(field.remote()), value);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted");
        }
    }

    /** The answer under a remote's namespace field: its sub-fields' values, in the client's order. */
    private JsonNode namespace(RootField.Remote field, RemoteRootExecutor.Result result) {
        if (!result.errors().isEmpty() && result.values().values().stream().allMatch(JsonNode::isNull)) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        ObjectNode wrapper = JSON.createObjectNode();
        String typeName = parsed.operation().getOperation() == OperationDefinition.Operation.MUTATION ? "_mutation" : "_query";
        for (var selection : field.field().getSelectionSet().getSelections()) {
            if (selection instanceof graphql.language.Field sub) {
                wrapper.set(sub.getResultKey(), sub.getName().equals("__typename")
                        ? JSON.getNodeFactory().textNode(field.field().getName() + typeName) : result.values().get(sub.getResultKey()));
            }
        }
        return wrapper;
    }

    /**
     * A remote answer with its {@code __typename}s back under their aliases and renamed as the
     * client sees the remote's types; see Note [Customized remote type names].
     */
    static JsonNode renamed(RemoteSchema remote, JsonNode value) {
        if (remote == null || !RemoteRenames.renames(remote.config()) || value == null) {
            return value;
        }
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, renamed(remote, array.get(i)));
            }
            return array;
        }
        if (!(value instanceof ObjectNode object)) {
            return value;
        }
        ObjectNode out = JSON.createObjectNode();
        object.properties().forEach(entry -> {
            String key = entry.getKey();
            if (key.startsWith(RemoteRenames.TYPENAME_ALIAS)) {
                JsonNode typeName = entry.getValue();
                out.set(key.substring(RemoteRenames.TYPENAME_ALIAS.length()), typeName.isTextual()
                        ? JSON.getNodeFactory().textNode(remote.config().customization().typeName(typeName.textValue())) : typeName);
            } else {
                out.set(key, renamed(remote, entry.getValue()));
            }
        });
        return out;
    }

    /** Errors of the remote root fields, once all of them have answered. */
    List<JoinError> rootErrors() {
        List<JoinError> out = new ArrayList<>();
        for (String remote : roots.keySet()) {
            try {
                out.addAll(roots.get(remote).get().errors());
            } catch (Exception e) {
                out.add(new JoinError("remote schema '" + remote + "' failed", "$"));
            }
        }
        return out;
    }

    /**
     * Performs the remote joins inside one database root field's JSON and returns the stitched
     * JSON text. See Note [Phantom join keys].
     */
    String join(RootField root, String json) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Postgres returned JSON that does not parse", e);
        }
        Level level = new Level();
        String path = "$." + root.alias();
        switch (root) {
            case RootField.SelectMany many -> collect(tree, many.fields(), path, level);
            case RootField.SelectFunction function -> collect(tree, function.fields(), path, level);
            case RootField.SelectByPk byPk -> collect(tree, byPk.fields(), path, level);
            case RootField.SelectAggregate aggregate -> collectAggregate(tree, aggregate.parts(), path, level);
            case RootField.SelectFunctionAggregate aggregate -> collectAggregate(tree, aggregate.parts(), path, level);
            default -> {
                return json;
            }
        }
        resolve(level);
        return tree.toString();
    }

    /*
     * Note [Joins of one level]
     * The joins of a level run concurrently, and several of them may fill fields of the same
     * objects (a profile's author and account). Jackson's objects are not thread-safe, so every
     * change to an object's shape happens while the level is collected, on one thread: each join's
     * key is taken out of its rows (the phantom key of a SQL row, the phantom key fields of a remote
     * answer's object), and a null placeholder stands where the joined field goes (the SQL already
     * writes one; in a remote answer it takes the place of the first key field, so the client's
     * field order holds). Running, a join only replaces the values of its own placeholders, and
     * collects the next level inside what it brought, which no other join touches.
     */

    /**
     * The joins found at one level of a response: remote joins with their rows (table rows, or
     * objects of remote answers), and table joins (to other sources, or into remote answers) with
     * the objects that get their field. Joins inside what they bring (table → remote → table →
     * remote, remote → remote → table) make the next level. See Note [Joins of one level].
     */
    private static final class Level {
        final Map<RowField.RemoteJoin, List<RemoteJoinExecutor.JoinRow>> remote = new IdentityHashMap<>();
        final Map<RemoteTableJoin, TableObjects> tables = new IdentityHashMap<>();

        boolean isEmpty() {
            return remote.isEmpty() && tables.isEmpty();
        }

        TableObjects objects(RemoteTableJoin join, String path) {
            return tables.computeIfAbsent(join, j -> new TableObjects(new ArrayList<>(), path));
        }
    }

    /** The objects a table join fills at one level, and the response path of the first. */
    private record TableObjects(List<ObjectNode> objects, String path) {
    }

    /**
     * A table join ready to run: its objects, each one's key (an index into {@code keys}; null for a
     * key with a null part), and the distinct keys in order.
     */
    private record TableWork(RemoteTableJoin join, List<ObjectNode> objects, List<Integer> objectKey, List<List<JsonNode>> keys,
                             String path) {
    }

    /** Runs the joins of a level concurrently — ONE call or statement each — then the levels they uncover. */
    private void resolve(Level level) {
        if (level.isEmpty()) {
            return;
        }
        List<TableWork> tables = new ArrayList<>();
        level.tables.forEach((join, objects) -> tables.add(prepare(join, objects)));
        List<Future<?>> joins = new ArrayList<>();
        var parent = observation.parent();
        tables.forEach(work -> joins.add(threads.submit(() -> {
            resolveBelow(work.join(), tableJoin(work), work.path());
            return null;
        })));
        level.remote.forEach((field, joinRows) -> joins.add(threads.submit(() -> observation.inSpan(parent, SpanNames.REMOTE_JOIN,
                Map.of(SpanNames.REMOTE, field.join().remote(), SpanNames.JOIN_KEYS, String.valueOf(joinRows.size())), () -> {
                    JoinSpec join = field.join();
                    RemoteSchema remote = state.model().remotes().get(join.remote());
                    long start = System.nanoTime();
                    RemoteJoinExecutor.Outcome outcome = RemoteJoinExecutor.execute(join, remote, joinRows, variables, headersFor(remote));
                    observation.remoteBatch(join.remote(), joinRows.size(), System.nanoTime() - start, outcome.errors().isEmpty());
                    errors.addAll(outcome.errors());
                    if (RemoteRenames.renames(remote.config())) {
                        joinRows.forEach(r -> r.row().set(join.alias(), renamed(remote, r.row().get(join.alias()))));
                    }
                    Level next = new Level();
                    for (RemoteJoinExecutor.JoinRow row : joinRows) {
                        intoAnswer(next, row.row().get(join.alias()), row.path(), field.tableJoins(), field.remoteJoins());
                    }
                    resolve(next);
                    return outcome;
                }))));
        await(joins);
    }

    /**
     * Adds to {@code level} the joins into one remote answer (found at {@code path}): the objects
     * at each joined table's path, and the objects at each joined remote schema's path as its rows,
     * their keys taken out. See Note [Joins of one level].
     */
    private static void intoAnswer(Level level, JsonNode answer, String path, List<RemoteTableJoin> tables,
                                   List<RemoteSchemaJoin> remotes) {
        for (RemoteTableJoin join : tables) {
            collectAt(answer, join.path(), 0, level.objects(join, path).objects());
        }
        for (RemoteSchemaJoin join : remotes) {
            List<RemoteJoinExecutor.JoinRow> rows = new ArrayList<>();
            rowsAt(answer, join, 0, path, rows);
            if (!rows.isEmpty()) {
                level.remote.computeIfAbsent(join.field(), f -> new ArrayList<>()).addAll(rows);
            }
        }
    }

    /** The objects at a remote schema join's path below {@code value}, as join rows with their keys taken out. */
    private static void rowsAt(JsonNode value, RemoteSchemaJoin join, int step, String path, List<RemoteJoinExecutor.JoinRow> out) {
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                rowsAt(array.get(i), join, step, path + "[" + i + "]", out);
            }
            return;
        }
        if (!(value instanceof ObjectNode object)) {
            return;
        }
        if (step < join.path().size()) {
            String key = join.path().get(step);
            rowsAt(object.get(key), join, step + 1, path + "." + key, out);
            return;
        }
        ArrayNode key = JSON.createArrayNode();
        takeKey(object, join.keyAliases(), join.field().alias()).forEach(key::add);
        out.add(new RemoteJoinExecutor.JoinRow(object, path + "." + join.field().alias(), key));
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

    /** The joins inside the rows a table join brought. */
    private void resolveBelow(RemoteTableJoin join, List<ObjectNode> filled, String path) {
        Level next = new Level();
        for (ObjectNode object : filled) {
            collect(object.get(join.alias()), join.fields(), path + "." + join.alias(), next);
        }
        resolve(next);
    }

    private static void await(List<Future<?>> joins) {
        for (Future<?> join : joins) {
            try {
                join.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted");
            }
        }
    }

    /**
     * A table join's objects with their keys taken out (phantom fields of a remote answer or of a
     * row), deduplicated; null keys give null (or an empty list) without being sent. Runs while the
     * level is collected; see Note [Joins of one level].
     */
    private static TableWork prepare(RemoteTableJoin join, TableObjects found) {
        Map<List<JsonNode>, Integer> keyIndex = new LinkedHashMap<>();
        List<Integer> objectKey = new ArrayList<>(found.objects().size());
        for (ObjectNode object : found.objects()) {
            List<JsonNode> key = takeKey(object, join.keyAliases(), join.alias());
            boolean nullKey = key.stream().anyMatch(JsonNode::isNull);
            objectKey.add(nullKey ? null : keyIndex.computeIfAbsent(key, k -> keyIndex.size()));
        }
        return new TableWork(join, found.objects(), objectKey, List.copyOf(keyIndex.keySet()), found.path());
    }

    /** Joins a table into its objects: ONE statement for all their distinct keys. */
    private List<ObjectNode> tableJoin(TableWork work) {
        RemoteTableJoin join = work.join();
        List<JsonNode> results = new ArrayList<>(java.util.Collections.nCopies(work.keys().size(), (JsonNode) null));
        if (!work.keys().isEmpty()) {
            ArrayNode keys = JSON.createArrayNode();
            List<String> fields = List.copyOf(join.relationship().mapping().keySet());
            for (int index = 0; index < work.keys().size(); index++) {
                ObjectNode row = keys.addObject().put(SqlCompiler.KEY_INDEX, index);
                for (int i = 0; i < fields.size(); i++) {
                    row.set(fields.get(i), work.keys().get(index).get(i));
                }
            }
            SqlQuery sql = compiled.tableJoins().get(join);
            Map<String, Object> bound = new java.util.HashMap<>(variables);
            bound.put(SqlCompiler.KEYS_PARAMETER, keys.toString());
            Database database = state.databases().get(join.source());
            if (database == null) {
                throw new JoineryException(ErrorCode.UNEXPECTED, "source '" + join.source() + "' is not available");
            }
            io.vertx.sqlclient.Row row = Statements.run(observation, database, sql, ParamBinder.bind(sql.params(), bound, session));
            try {
                for (JsonNode pair : JSON.readTree(row.getString(0))) {
                    results.set(pair.get(0).asInt(), pair.get(1));
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Postgres returned JSON that does not parse", e);
            }
        }
        // Objects that share a key get copies, as in RemoteJoinExecutor: the joins inside them edit each one in place.
        boolean[] placed = new boolean[results.size()];
        for (int i = 0; i < work.objects().size(); i++) {
            Integer index = work.objectKey().get(i);
            JsonNode result = index == null ? null : results.get(index);
            if (result == null || result.isNull()) {
                result = join.relationship().array() ? JSON.createArrayNode() : NullNode.getInstance();
            } else if (placed[index]) {
                result = result.deepCopy();
            } else {
                placed[index] = true;
            }
            work.objects().get(i).set(join.alias(), result);
        }
        return work.objects();
    }

    private static void collectAt(JsonNode value, List<String> path, int step, List<ObjectNode> out) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value instanceof ArrayNode array) {
            array.forEach(item -> collectAt(item, path, step, out));
            return;
        }
        if (!(value instanceof ObjectNode object)) {
            return;
        }
        if (step == path.size()) {
            out.add(object);
            return;
        }
        collectAt(object.get(path.get(step)), path, step + 1, out);
    }

    List<JoinError> joinErrors() {
        return errors;
    }

    private void collect(JsonNode value, List<RowField> fields, String path, Level rows) {
        if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                collectRow(array.get(i), fields, path + "[" + i + "]", rows);
            }
        } else {
            collectRow(value, fields, path, rows);
        }
    }

    private void collectRow(JsonNode value, List<RowField> fields, String path, Level rows) {
        if (!(value instanceof ObjectNode row)) {
            return;
        }
        for (RowField field : fields) {
            switch (field) {
                case RowField.RemoteJoin remote -> rows.remote.computeIfAbsent(remote, j -> new ArrayList<>())
                        .add(new RemoteJoinExecutor.JoinRow(row, path + "." + remote.alias(), row.remove(remote.join().phantomKey())));
                case RowField.ObjectRelation relation -> collect(row.get(relation.alias()), relation.fields(), path + "." + relation.alias(), rows);
                case RowField.ArrayRelation relation -> collect(row.get(relation.alias()), relation.fields(), path + "." + relation.alias(), rows);
                case RowField.ComputedRows computed -> collect(row.get(computed.alias()), computed.fields(), path + "." + computed.alias(), rows);
                case RowField.Computed computed -> {
                }
                case RowField.ArrayAggregate aggregate -> collectAggregate(row.get(aggregate.alias()), aggregate.parts(), path + "." + aggregate.alias(), rows);
                case RowField.SourceJoin join -> rows.objects(join.join(), path).objects().add(row);
                case RowField.Column column -> {
                }
                case RowField.Typename typename -> {
                }
            }
        }
    }

    private void collectAggregate(JsonNode value, List<AggregatePart> parts, String path, Level rows) {
        if (value == null) {
            return;
        }
        for (AggregatePart part : parts) {
            if (part instanceof AggregatePart.Nodes nodes) {
                collect(value.get(nodes.alias()), nodes.fields(), path + "." + nodes.alias(), rows);
            }
        }
    }

    /** Session variables always; the client's own headers when the remote forwards them. */
    private Map<String, String> headersFor(RemoteSchema remote) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (remote.config().forwardClientHeaders()) {
            clientHeaders.forEach((name, value) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                    headers.put(name, value);
                }
            });
        }
        headers.putAll(session.variables());
        return headers;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
