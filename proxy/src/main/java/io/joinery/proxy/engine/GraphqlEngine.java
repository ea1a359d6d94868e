package io.joinery.proxy.engine;

import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import graphql.ExecutionInput;
import graphql.introspection.GoodFaithIntrospection;
import graphql.ParseAndValidate;
import graphql.ExecutionResult;
import graphql.language.AstPrinter;
import graphql.language.VariableDefinition;
import io.joinery.policies.Session;
import io.joinery.proxy.action.ActionCalls;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.compile.SqlCompiler;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.execute.Statements;
import io.joinery.proxy.join.ExecutionPlan;
import io.joinery.proxy.join.JoinContext;
import io.joinery.proxy.join.JoinStage;
import io.joinery.proxy.join.RemoteExplain;
import io.joinery.proxy.parse.OperationParser;
import io.joinery.proxy.parse.ParseResult;
import io.joinery.proxy.parse.VariableCoercion;
import io.joinery.proxy.plan.PlanException;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.plan.QueryPlanner;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.response.Answer;
import io.joinery.proxy.response.ResponseWriter;
import io.joinery.proxy.response.FlatRows;
import io.joinery.proxy.response.ResultShape;
import io.joinery.proxy.response.ResultTranscoder;
import io.joinery.telemetry.EngineObserver;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs GraphQL operations: parse and validate against the caller's role schema ({@code parse.OperationParser},
 * cached by a hash of role, operation name and query, within a byte budget: {@link PlanCache}), plan and compile
 * (cached, keyed also by the values of structural variables), bind, run ONE statement per source,
 * and splice Postgres' JSON into the response.
 */
public final class GraphqlEngine {

    private static final System.Logger LOGGER = System.getLogger(GraphqlEngine.class.getName());

    private final AtomicReference<EngineState> state;
    private final EngineLimits limits;
    private final EngineObserver observer;
    private final OperationParser parser;
    private volatile io.joinery.proxy.action.AsyncActions asyncActions;
    private volatile SqlCompiler.Flat flatRows = SqlCompiler.Flat.ROOT;

    public GraphqlEngine(EngineState initial, EngineLimits limits, EngineObserver observer) {
        this.state = new AtomicReference<>(initial);
        this.limits = limits;
        this.observer = observer;
        this.parser = new OperationParser(limits.maxDepth(), limits.maxTokens());
    }

    /** What telemetry is told of this engine's requests, and of the sidecar's own work (subscriptions, asynchronous actions). */
    public EngineObserver observer() {
        return observer;
    }

    /** Where asynchronous actions' calls are recorded and read (the sidecar sets it once its metadata database is known). */
    public void asyncActions(io.joinery.proxy.action.AsyncActions async) {
        this.asyncActions = async;
    }

    /** Which lists of a query are read from Postgres as plain rows (Note [Flat rows] in {@code SqlCompiler}; {@code JOINERY_FLAT_ROWS}). */
    public void flatRows(SqlCompiler.Flat flat) {
        this.flatRows = flat;
    }

    public EngineState state() {
        return state.get();
    }

    /**
     * Swaps in a new metadata version; requests in flight finish on the state they started with,
     * which is retired after the last of them.
     */
    public void swap(EngineState next) {
        EngineState previous = state.getAndSet(next);
        if (previous != next) {
            previous.release();
        }
    }

    /** The state being served, held for one request until {@link EngineState#release()}. */
    private EngineState hold() {
        while (true) {
            EngineState current = state.get();
            if (current.hold()) {
                return current;
            }
        }
    }

    /** Executes one operation; failures come back as an error response, never as an exception. */
    public String execute(GraphqlRequest request, Session session) {
        return new String(executeUtf8(request, session), StandardCharsets.UTF_8);
    }

    /** {@link #execute} as the UTF-8 bytes to send (Note [The answer as UTF-8 from the start] in {@code response.ResponseWriter}). */
    public byte[] executeUtf8(GraphqlRequest request, Session session) {
        return executeAnswer(request, session).bytes();
    }

    /**
     * {@link #executeUtf8}, the bytes still in the block they were written into: the caller sends
     * them, which gives the block back (Note [Answers sent from their block] in {@code response.Answer}).
     */
    public Answer executeAnswer(GraphqlRequest request, Session session) {
        EngineState current = hold();
        try {
            return execute(current, request, session);
        } finally {
            current.release();
        }
    }

    private static Answer utf8(String answer) {
        return Answer.of(answer.getBytes(StandardCharsets.UTF_8));
    }

    private Answer execute(EngineState current, GraphqlRequest request, Session session) {
        try (RequestObservation observation = observer.begin(null, request.operationName(), current.roleTag(session.role()),
                request.headers()::get)) {
            try {
                Prepared prepared = prepare(current, request, session, observation);
                return run(current, prepared, session, observation, request);
            } catch (JoineryException e) {
                observation.error(e.code().code(), e.getMessage());
                return utf8(ResponseWriter.error(e, session.isAdmin()));
            } catch (RuntimeException e) {
                observation.error(ErrorCode.UNEXPECTED.code(), e.getClass().getName());
                LOGGER.log(System.Logger.Level.WARNING, "unexpected failure of a request", e);
                return utf8(ResponseWriter.error(new JoineryException(ErrorCode.UNEXPECTED, "unexpected error", "$", String.valueOf(e)), session.isAdmin()));
            } catch (StackOverflowError e) {
                // The last resort behind the limits on input nesting: one line, not the thousand frames of the trace.
                observation.error(ErrorCode.VALIDATION_FAILED.code(), "the request is nested too deeply to process");
                LOGGER.log(System.Logger.Level.WARNING, "a request nested too deeply to process overflowed the stack; refused it");
                return utf8(ResponseWriter.error(new JoineryException(ErrorCode.VALIDATION_FAILED, "the request is nested too deeply to process"), session.isAdmin()));
            }
        }
    }

    /**
     * A subscription's operation, prepared as a request's is (parsed, validated, planned and compiled, from the
     * same caches) on the state being served, and not run; null when the operation is a query or a mutation
     * (run those with {@link #execute}). Failures throw {@link JoineryException}. See Note [Live queries] in
     * {@code subscription.LiveQueries}.
     */
    public Subscription prepareSubscription(GraphqlRequest request, Session session) {
        EngineState current = hold();
        try (RequestObservation observation = observer.begin(null, request.operationName(), current.roleTag(session.role()),
                request.headers()::get)) {
            Prepared prepared = prepare(current, request, session, observation);
            if (prepared.parsed.operation().getOperation() != graphql.language.OperationDefinition.Operation.SUBSCRIPTION) {
                return null;
            }
            return new Subscription(current, prepared.compiled, prepared.variables, prepared.parsed.operation());
        } finally {
            current.release();
        }
    }

    /** A prepared subscription: the state it was compiled on, its compiled plan, its coerced variables and its operation. */
    public record Subscription(EngineState state, CompiledQuery compiled, Map<String, Object> variables,
                               graphql.language.OperationDefinition operation) {
    }

    /** Runs {@code work} on the state being served, held (not retired) until it returns. */
    public <T> T held(java.util.function.Function<EngineState, T> work) {
        EngineState current = hold();
        try {
            return work.apply(current);
        } finally {
            current.release();
        }
    }

    /** The SQL and Postgres' plan of each database root field of an operation (admin only). */
    public List<Map<String, Object>> explain(GraphqlRequest request, Session session) {
        EngineState current = state.get();
        Prepared prepared = prepare(current, request, session, EngineObserver.NOOP.begin("query", request.operationName(), session.role()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (RootField root : prepared.compiled.plan().roots()) {
            QueryPlan single = new QueryPlan(prepared.compiled.plan().operationType(), prepared.compiled.plan().operationName(), List.of(root));
            ExecutionPlan execution = ExecutionPlan.of(SqlCompiler.compile(single, flatRows));
            for (CompiledQuery.SourceStatement statement : execution.statements()) {
                Tuple params = ParamBinder.bind(statement.sql().params(), prepared.variables, session);
                List<String> plan = new ArrayList<>();
                database(current, statement.source()).prepared("EXPLAIN " + statement.sql().text(), params)
                        .forEach(row -> plan.add(row.getString(0)));
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("field", root.alias());
                entry.put("sql", statement.sql().text());
                entry.put("plan", plan);
                out.add(entry);
            }
            out.addAll(RemoteExplain.of(root, execution));
        }
        return out;
    }

    /**
     * The plan an operation gets for this session and these variables, compiled as a request would be
     * and without running it: what {@code plan.PlanPrinter} prints for the golden tests and for diagnostics.
     */
    public QueryPlan plan(GraphqlRequest request, Session session) {
        return prepare(state.get(), request, session, EngineObserver.NOOP.begin("query", request.operationName(), session.role()))
                .compiled.plan();
    }

    private record Prepared(ParsedOperation parsed, CompiledQuery compiled, Map<String, Object> variables) {
    }

    private Prepared prepare(EngineState current, GraphqlRequest request, Session session, RequestObservation observation) {
        if (request.query() == null || request.query().isBlank()) {
            throw new JoineryException(ErrorCode.BAD_REQUEST, "the request has no query", "$", null);
        }
        RoleSchema role = current.role(session.role(), RoleAccess.backendRequest(session));
        PlanCache.Key key = PlanCache.key(role.access.backend() ? role.access.role() + " (backend-only)" : role.access.role(),
                request.operationName(), request.query());
        ParsedOperation cached = current.plans().get(key);
        ParsedOperation parsed = cached != null ? cached : current.plans().keep(key,
                observation.inSpan(SpanNames.PARSE, Map.of(), () -> parse(current, role, request)));
        if (parsed.failure() != null) {
            observation.parsed(null, request.operationName(), cached != null);
            throw parsed.failure();
        }
        observation.parsed(parsed.operation().getOperation().name().toLowerCase(Locale.ROOT), parsed.operation().getName(), cached != null);
        Map<String, Object> variables = VariableCoercion.coerce(role.schema, parsed.operation(), request.variables());
        List<Object> shape = new ArrayList<>(parsed.structural().size() + 1);
        Set<String> planned = new java.util.HashSet<>(parsed.structural());
        for (String name : parsed.structural()) {
            // Note [Rows bound as one parameter] in BoundRows: such rows key the plan by their columns only.
            List<String> columns = parsed.rowVariables().containsKey(name)
                    ? BoundRows.columns(variables.get(name), parsed.rowVariables().get(name)) : null;
            shape.add(columns != null ? columns : variables.get(name));
            if (columns != null) {
                planned.remove(name);
            }
        }
        shape.add(nullVariables(parsed, variables));
        Map<String, String> presetSession = presetSession(role, session);
        if (!presetSession.isEmpty()) {
            shape.add(presetSession);
        }
        CompiledQuery compiled = parsed.compiled().get(shape);
        observation.planned(compiled != null);
        if (compiled == null) {
            compiled = parsed.compiled().computeIfAbsent(shape,
                    s -> observation.inSpan(SpanNames.PLAN, Map.of(), () -> compile(role, parsed, variables, presetSession, planned)));
            current.plans().reweigh(key, parsed);
        }
        if (compiled.plan().hasIntrospection() && current.introspectionDisabled(role.access.role())) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "introspection is disabled for the role '" + role.access.role() + "'", "$", null);
        }
        return new Prepared(parsed, compiled, variables);
    }

    /**
     * Note [Preset session values]: a remote schema preset that reads a session variable is sent
     * as a literal in the remote's query, which the plan holds; so the plan of a role whose
     * presets read session variables is cached per value of those variables (a user's plan is not
     * another user's), while the plans of other roles stay shared by all their users.
     */
    private static Map<String, String> presetSession(RoleSchema role, Session session) {
        if (role.presetVariables.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new java.util.TreeMap<>();
        role.presetVariables.forEach(name -> {
            String value = session.variable(name);
            if (value != null) {
                values.put(name, value);
            }
        });
        return values;
    }

    /**
     * Which variables are null. The planner drops a comparison, limit or offset whose value is null
     * (as for a literal null), so a scalar variable's null-ness shapes the plan as much as
     * a structural variable's value: without it in the key, the first request's plan would serve
     * the others ({@code limit: $l} cached without a limit, {@code _eq: $v} without its condition).
     */
    private static BitSet nullVariables(ParsedOperation parsed, Map<String, Object> variables) {
        List<VariableDefinition> definitions = parsed.operation().getVariableDefinitions();
        BitSet nulls = new BitSet(definitions.size());
        for (int i = 0; i < definitions.size(); i++) {
            if (variables.get(definitions.get(i).getName()) == null) {
                nulls.set(i);
            }
        }
        return nulls;
    }

    /**
     * A failure when it is not in the role's allowlist (checked before validation, so that a caller
     * learns nothing of the schema from documents it may not run) or does not validate; failures
     * are never cached ({@link PlanCache}).
     */
    private ParsedOperation parse(EngineState current, RoleSchema role, GraphqlRequest request) {
        try {
            if (!current.allowlist().allows(role.access, request.query())) {
                return ParsedOperation.failed(new JoineryException(ErrorCode.VALIDATION_FAILED, "query is not allowed", "$", null));
            }
            ParseResult result = parser.parse(role.schema, role.access, request.query(), request.operationName());
            return ParsedOperation.of(result, PlanCache.weigh(request.query()),
                    BoundRows.candidates(result.operation(), role.access, result.structural()));
        } catch (JoineryException e) {
            return ParsedOperation.failed(e);
        }
    }

    private CompiledQuery compile(RoleSchema role, ParsedOperation parsed, Map<String, Object> variables, Map<String, String> presetSession,
                                  Set<String> structural) {
        try {
            QueryPlan plan = new QueryPlanner(role.access, parsed.fragments(), variables, Set.copyOf(structural))
                    .limitInput(limits.maxBoolExpDepth(), limits.maxBoolExpNodes())
                    .presetSession(presetSession)
                    .cells(role.cells)
                    .plan(parsed.operation());
            return SqlCompiler.compile(plan, flatRows);
        } catch (io.joinery.proxy.plan.MissingSessionVariable e) {
            throw new JoineryException(ErrorCode.NOT_FOUND, e.getMessage(), e.path(), null);
        } catch (PlanException e) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, e.getMessage(), e.path(), null);
        }
    }

    private Answer run(EngineState current, Prepared prepared, Session session, RequestObservation observation,
                       GraphqlRequest request) {
        CompiledQuery compiled = prepared.compiled;
        QueryPlan plan = compiled.plan();
        boolean remote = plan.hasRemoteRoots() || compiled.remoteJoins() || plan.hasActions();
        try (ActionCalls actions = plan.hasActions() ? new ActionCalls(current.model().actions(), current.actionTransforms(), prepared.variables, session,
                request.headers(), request.query(), observation, asyncActions) : null;
             JoinStage remotes = remote ? new JoinStage(current.model().remotes(), current.databases(), ExecutionPlan.of(compiled), new JoinContext(prepared.parsed.operation(),
                prepared.parsed.fragments(), prepared.variables, session, request.headers(), observation)) : null) {
            if (plan.hasRemoteRoots()) {
                remotes.startRoots();
            }
            if (actions != null && !"mutation".equals(plan.operationType())) {
                actions.start(plan.roots().stream().filter(r -> r instanceof RootField.Action).map(r -> (RootField.Action) r).toList());
            }
            boolean mixed = plan.hasActions() && plan.hasMutations();
            Map<String, RootResult> results = mixed ? new LinkedHashMap<>()
                    : plan.hasMutations()
                    ? runMutations(current, plan, compiled.statements(), prepared, session, observation)
                    : switch (compiled.statements().size()) {
                case 0 -> Map.of();
                case 1 -> runStatement(current, compiled.statements().getFirst(), prepared, session, observation);
                default -> runConcurrently(current, compiled.statements(), prepared, session, observation);
            };
            Map<String, Object> introspection = plan.hasIntrospection() ? introspect(current, prepared, session) : Map.of();
            ResponseWriter writer = new ResponseWriter();
            for (RootField root : plan.roots()) {
                switch (root) {
                    case RootField.Typename typename -> writer.field(root.alias()).string(typename.typeName());
                    case RootField.Introspection i -> writer.field(root.alias()).value(introspection.get(root.alias()));
                    case RootField.Remote field -> writer.field(root.alias()).value(remotes.root(field));
                    case RootField.Action action -> writer.field(root.alias()).tree(actionValue(actions, remotes, action));
                    case RootField.SelectMany many -> joined(writer.field(root.alias()), remotes, root, results);
                    case RootField.SelectFunction function -> joined(writer.field(root.alias()), remotes, root, results);
                    case RootField.SelectFunctionAggregate aggregate -> joined(writer.field(root.alias()), remotes, root, results);
                    case RootField.SelectByPk byPk -> joined(writer.field(root.alias()), remotes, root, results);
                    case RootField.SelectAggregate aggregate -> joined(writer.field(root.alias()), remotes, root, results);
                    case RootField.Mutation mutation -> {
                        if (mixed && !results.containsKey(root.alias())) {
                            results.putAll(runSegment(current, plan, mutation, compiled.statements(), prepared, session, observation));
                        }
                        joined(writer.field(root.alias()), remotes, root, results);
                    }
                }
            }
            if (!remote) {
                return writer.answer();
            }
            List<JoinError> errors = new ArrayList<>(remotes.rootErrors());
            errors.addAll(remotes.joinErrors());
            errors.forEach(error -> observation.error(JoinError.CODE, error.message()));
            List<Map<String, Object>> actionErrors = new ArrayList<>();
            if (actions != null) {
                actions.errors().forEach(error -> {
                    observation.error(ErrorCode.ACTION_ERROR.code(), error.message());
                    actionErrors.add(error.entry(session.isAdmin()));
                });
            }
            return writer.answer(errors, actionErrors, session.isAdmin());
        }
    }

    /** An action's answer, with the tables joined into it (read after the handler has answered). */
    private static com.fasterxml.jackson.databind.JsonNode actionValue(ActionCalls actions, JoinStage remotes, RootField.Action action) {
        com.fasterxml.jackson.databind.JsonNode answer = actions.value(action);
        return answer.isNull() || action.tableJoins().isEmpty() ? answer : remotes.joinAction(action, answer);
    }

    /** A root field's value from Postgres, with its remote joins performed when it has any. */
    private static void joined(ResponseWriter writer, JoinStage remotes, RootField root, Map<String, RootResult> results) {
        RootResult result = results.get(root.alias());
        if (result.flat() != null) {
            // no remote join is read flat (Note [Flat rows] in SqlCompiler)
            writer.rows(result.rows(), result.flat());
        } else if (remotes == null || result.json() == null || !remotes.hasJoins()) {
            writer.result(result.json(), result.shape());
        } else {
            writer.tree(remotes.join(root, ResultTranscoder.toTree(result.json(), result.shape())));
        }
    }

    /**
     * What a statement returned for a root field: its JSON (null for SQL NULL) and the shape to write it in, or
     * its rows and their shape when it returned them flat (Note [Flat rows] in {@code SqlCompiler}).
     */
    private record RootResult(String json, ResultShape shape, io.vertx.sqlclient.RowSet<Row> rows, FlatRows flat) {
        RootResult(String json, ResultShape shape) {
            this(json, shape, null, null);
        }
    }

    /**
     * The mutation fields' statements, in order, in ONE transaction of their source (Note [Mutations]
     * in {@code compile.MutationCompiler}); a written row that fails its permission's check rolls it back.
     */
    private Map<String, RootResult> runMutations(EngineState current, QueryPlan plan, List<CompiledQuery.SourceStatement> statements,
                                                Prepared prepared, Session session, RequestObservation observation) {
        // Loops, not streams: this runs on every mutation request (Note [One write, no transaction] in execute.Database).
        Map<String, List<String>> many = Map.of();
        for (RootField root : plan.roots()) {
            if (root instanceof RootField.Mutation mutation && mutation.output() instanceof io.joinery.proxy.plan.MutationOutput.Responses) {
                many = many.isEmpty() ? new LinkedHashMap<>() : many;
                many.put(root.alias(), new ArrayList<>());
            }
        }
        Map<String, RootResult> results = new LinkedHashMap<>();
        if (!statements.isEmpty()) {
            List<String> paths = new ArrayList<>(statements.size());
            for (CompiledQuery.SourceStatement statement : statements) {
                paths.add(errorPath(plan, statement.roots().getFirst()));
            }
            results.putAll(writeAll(current, statements, paths, prepared, session, observation, many));
        }
        // Note [Many updates] in compile.MutationCompiler: update_t_many answers the list of its statements' responses.
        many.forEach((alias, answers) -> {
            ResultShape element = statements.stream().filter(statement -> statement.roots().getFirst().equals(alias)).findFirst()
                    .map(statement -> statement.shapes().getFirst()).orElse(ResultShape.VALUE);
            results.put(alias, new RootResult("[" + String.join(",", answers) + "]", new ResultShape.ListOf(element)));
        });
        return results;
    }

    /**
     * Note [Mutations and actions]: an operation that mixes table mutations and actions runs its
     * fields in the client's order, as Hasura does (it groups a mutation's fields in one transaction
     * only when all of them go to one Postgres source, and otherwise runs them one by one). The table
     * mutations between two actions run in ONE transaction of their own, committed before the next
     * action's handler is called: a transaction is never held open across a handler's call (its
     * locks would wait on a remote service), and the handler sees the rows written before it. A
     * failing table mutation fails the whole operation, as alone; the fields before it have taken
     * effect (committed, called), those after it do not run. A failing action costs its own field.
     * Hasura runs each table mutation of such an operation in a transaction of its own.
     */
    private Map<String, RootResult> runSegment(EngineState current, QueryPlan plan, RootField.Mutation first,
                                               List<CompiledQuery.SourceStatement> statements, Prepared prepared, Session session,
                                               RequestObservation observation) {
        List<RootField> segment = new ArrayList<>();
        for (RootField root : plan.roots().subList(plan.roots().indexOf(first), plan.roots().size())) {
            if (!(root instanceof RootField.Mutation)) {
                break;
            }
            segment.add(root);
        }
        Set<String> aliases = new java.util.HashSet<>();
        segment.forEach(root -> aliases.add(root.alias()));
        List<CompiledQuery.SourceStatement> own = statements.stream().filter(statement -> aliases.contains(statement.roots().getFirst())).toList();
        return runMutations(current, new QueryPlan(plan.operationType(), plan.operationName(), segment), own, prepared, session, observation);
    }

    /** Where a mutation field's database error points, as in Hasura: {@code $.selectionSet.insert_t.args.objects}, …. */
    private static String errorPath(QueryPlan plan, String alias) {
        RootField.Mutation mutation = null;
        for (RootField root : plan.roots()) {
            if (root.alias().equals(alias)) {
                mutation = (RootField.Mutation) root;
                break;
            }
        }
        String arguments = switch (mutation.write()) {
            case io.joinery.proxy.plan.Write.Insert insert ->
                    mutation.output() instanceof io.joinery.proxy.plan.MutationOutput.Row ? ".args.object" : ".args.objects";
            case io.joinery.proxy.plan.Write.UpdateMany many -> ".args.updates";
            case io.joinery.proxy.plan.Write.Update update -> ".args";
            case io.joinery.proxy.plan.Write.Delete delete -> ".args";
        };
        return "$.selectionSet." + alias + arguments;
    }

    private Map<String, RootResult> writeAll(EngineState current, List<CompiledQuery.SourceStatement> statements, List<String> paths,
                                             Prepared prepared, Session session, RequestObservation observation,
                                             Map<String, List<String>> many) {
        String source = statements.getFirst().source();
        List<io.joinery.proxy.sql.SqlQuery> queries = new ArrayList<>(statements.size());
        List<Tuple> params = new ArrayList<>(statements.size());
        for (CompiledQuery.SourceStatement statement : statements) {
            if (!statement.source().equals(source)) {
                throw new JoineryException(ErrorCode.VALIDATION_FAILED,
                        "the mutations of one operation run in one transaction, so on one source; send those of other sources apart");
            }
            queries.add(statement.sql());
            params.add(ParamBinder.bind(statement.sql().params(), prepared.variables, session));
        }
        Database database = database(current, source);
        long start = System.nanoTime();
        List<Row> rows;
        try {
            // Note [One write, no transaction] in execute.Database: a request of one statement runs it alone, in autocommit.
            boolean alone = statements.size() == 1;
            rows = observation.inSpan(io.joinery.telemetry.SpanNames.DB_QUERY, Map.of(io.joinery.telemetry.SpanNames.SOURCE, source),
                    () -> alone ? List.of(database.writeAlone(queries.getFirst(), params.getFirst(), paths.getFirst()))
                            : database.write(queries, params, paths, (index, row) -> {
                        if (!Boolean.TRUE.equals(row.getBoolean(1))) {
                            throw new JoineryException(ErrorCode.PERMISSION_ERROR, "check constraint of an insert/update permission has failed",
                                    "$.selectionSet." + statements.get(index).roots().getFirst(), null);
                        }
                    }));
            observation.sqlExecuted(source, System.nanoTime() - start, true);
        } catch (RuntimeException e) {
            observation.sqlExecuted(source, System.nanoTime() - start, false);
            throw refused(e, statements, paths);
        }
        Map<String, RootResult> results = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            String alias = statements.get(i).roots().getFirst();
            if (many.containsKey(alias)) {
                many.get(alias).add(rows.get(i).getString(0));
            } else {
                results.put(alias, new RootResult(rows.get(i).getString(0), statements.get(i).shapes().getFirst()));
            }
        }
        return results;
    }

    /**
     * The failure to answer: Hasura's refusal when a statement raised one of its own (Note [Object relationships
     * that write no row] in {@code compile.MutationCompiler}), found by the path of the failed statement.
     */
    private static RuntimeException refused(RuntimeException failure, List<CompiledQuery.SourceStatement> statements, List<String> paths) {
        if (!(failure instanceof JoineryException database) || database.code() != ErrorCode.DATA_EXCEPTION) {
            return failure;
        }
        int index = paths.indexOf(database.path());
        CompiledQuery.Refusal refusal = index < 0 ? null : statements.get(index).refusal(database.getMessage());
        return refusal == null ? failure : new JoineryException(refusal.code(), refusal.message(), refusal.path(), null);
    }

    private Map<String, RootResult> runConcurrently(EngineState current, List<CompiledQuery.SourceStatement> statements,
                                                Prepared prepared, Session session, RequestObservation observation) {
        try (var scope = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, RootResult>>> futures = new ArrayList<>();
            for (CompiledQuery.SourceStatement statement : statements) {
                futures.add(scope.submit(() -> runStatement(current, statement, prepared, session, observation)));
            }
            Map<String, RootResult> results = new LinkedHashMap<>();
            for (Future<Map<String, RootResult>> future : futures) {
                results.putAll(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted");
        }
    }

    private Map<String, RootResult> runStatement(EngineState current, CompiledQuery.SourceStatement statement, Prepared prepared,
                                             Session session, RequestObservation observation) {
        Database database = database(current, statement.source());
        Tuple params = ParamBinder.bind(statement.sql().params(), prepared.variables, session);
        if (statement.flat() != null) {
            return Map.of(statement.roots().getFirst(), new RootResult(null, null,
                    Statements.runRows(observation, database, statement.sql(), params), statement.flat()));
        }
        Row row = Statements.run(observation, database, statement.sql(), params);
        Map<String, RootResult> results = new LinkedHashMap<>();
        for (int i = 0; i < statement.roots().size(); i++) {
            results.put(statement.roots().get(i), new RootResult(row.getString(i), statement.shapes().get(i)));
        }
        return results;
    }

    private Database database(EngineState current, String source) {
        Database database = current.databases().get(source);
        if (database == null) {
            throw new JoineryException(ErrorCode.UNEXPECTED, "source '" + source + "' is not available");
        }
        return database;
    }

    private Map<String, Object> introspect(EngineState current, Prepared prepared, Session session) {
        RoleSchema role = current.role(session.role(), RoleAccess.backendRequest(session));
        ExecutionResult result = role.introspection.execute(ExecutionInput.newExecutionInput()
                .query(AstPrinter.printAst(prepared.parsed.document()))
                .operationName(prepared.parsed.operation().getName())
                .variables(prepared.variables)
                .graphQLContext(Map.of(ParseAndValidate.INTERNAL_VALIDATION_PREDICATE_HINT, OperationParser.RULES,
                        GoodFaithIntrospection.GOOD_FAITH_INTROSPECTION_DISABLED, true))
                .build());
        if (!result.getErrors().isEmpty()) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, result.getErrors().getFirst().getMessage(), "$", null);
        }
        Map<String, Object> data = result.getData();
        return data == null ? Map.of() : data;
    }

    /**
     * Limits a request must stay within: the depth of its selection, its tokens, and the depth and
     * conditions of the callers' boolean expressions and orderings ({@code where}, {@code order_by}).
     */
    public record EngineLimits(int maxDepth, int maxTokens, int maxBoolExpDepth, int maxBoolExpNodes) {
        public static final EngineLimits DEFAULT = new EngineLimits(15, 15_000, 12, 512);
    }
}
