package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.RemoteRenames;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.JoinForm;
import io.joinery.telemetry.CallOutcome;
import io.joinery.telemetry.JoinTags;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;
import io.joinery.telemetry.SpanParent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The remote part of an operation: its remote root fields ({@link RemoteRoots}: one request per
 * remote, started before the SQL so both run at once) and its joins, after the SQL or the remote's
 * answer, level by level: collect the objects and keys of a level ({@link JoinLevel}, following
 * the root field's {@link JoinTree} in the {@link ExecutionPlan}), make ONE call per join of the level for all of them, all joins
 * of the level concurrently — remote schemas joined into rows and into remote answers
 * ({@link RemoteJoinCall}), tables joined into remote answers and from other sources
 * ({@link TableJoinCall}) — and replace the placeholders with the values ({@link KeyBatch}). A remote
 * that fails leaves nulls and errors; the rest of the response is intact.
 */
public final class JoinStage implements AutoCloseable {


    private final Map<String, RemoteSchema> remotes;
    private final Map<String, Database> databases;
    private final ExecutionPlan execution;
    private final JoinContext context;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final RemoteRoots roots;
    private final List<JoinError> errors = Collections.synchronizedList(new ArrayList<>());
    /** Whether the stage joins several values at once (see Note [Joins of several values]). */
    private volatile boolean several;

    /** {@code remotes} and {@code databases}: those of the engine state the request runs on. */
    public JoinStage(Map<String, RemoteSchema> remotes, Map<String, Database> databases, ExecutionPlan execution, JoinContext context) {
        this.remotes = remotes;
        this.databases = databases;
        this.execution = execution;
        this.context = context;
        this.roots = new RemoteRoots(remotes, context, threads);
    }

    /** Whether the values of the database root fields carry joins to perform (else they are written as Postgres returned them). */
    public boolean hasJoins() {
        return execution.remoteJoins();
    }

    /** Sends the remote root fields, one request per remote, without waiting for the answers. */
    public void startRoots() {
        roots.start(execution.remoteRoots());
    }

    /** The value of a remote root field, waiting for its remote's answer, with the tables and remote schemas joined into it. */
    public JsonNode root(RootField.Remote field) {
        try {
            JsonNode value = roots.value(field);
            JoinLevel level = new JoinLevel();
            level.collect(value, execution.joins(field.alias()), "$." + field.alias());
            run(level, 1);
            return AnswerRenames.renamed(remotes.get(field.remote()), value);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted");
        }
    }

    /**
     * Performs the joins into an action's answer (shaped, with its phantom join keys), in place, and
     * returns it: the tables joined into it, then everything below them, level by level.
     */
    public JsonNode joinAction(RootField.Action action, JsonNode answer) {
        JoinLevel level = new JoinLevel();
        level.collect(answer, execution.joins(action.alias()), "$." + action.alias());
        run(level, 1);
        return answer;
    }

    /** Errors of the remote root fields, once all of them have answered. */
    public List<JoinError> rootErrors() {
        return roots.errors();
    }

    /** Errors of the joins performed so far. */
    public List<JoinError> joinErrors() {
        return errors;
    }

    /**
     * Performs the joins inside one database root field's value, in place, and returns it.
     * See Note [Phantom join keys].
     */
    public JsonNode join(RootField root, JsonNode tree) {
        boolean database = switch (root) {
            case RootField.SelectMany many -> true;
            case RootField.SelectFunction function -> true;
            case RootField.SelectByPk byPk -> true;
            case RootField.SelectAggregate aggregate -> true;
            case RootField.SelectFunctionAggregate aggregate -> true;
            case RootField.Mutation mutation -> true;
            case RootField.Remote remote -> false;
            case RootField.Action action -> false;
            case RootField.Typename typename -> false;
            case RootField.Introspection introspection -> false;
        };
        if (!database) {
            return tree;
        }
        JoinLevel level = new JoinLevel();
        level.collect(tree, execution.joins(root.alias()), "$." + root.alias());
        run(level, 1);
        return tree;
    }

    /**
     * Performs the joins inside several values of one database root field at once, in place — ONE
     * call per join per level for all of them — and returns the join errors of each value, by index
     * (a live query's cohort, Note [Join groups] in {@code subscription.LiveQueries}). A call that
     * fails is reported to each value it concerned, at the first of its objects that had a key.
     */
    public List<List<JoinError>> joinEach(RootField root, List<JsonNode> values) {
        JoinTree tree = execution.joins(root.alias());
        JoinLevel level = new JoinLevel();
        for (int i = 0; i < values.size(); i++) {
            level.collect(values.get(i), tree, i + "$." + root.alias());
        }
        several = true;
        run(level, 1);
        List<List<JoinError>> each = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            each.add(new ArrayList<>());
        }
        for (JoinError error : errors) {
            int value = valueOf(error.path());
            String path = error.path().substring(error.path().indexOf('$'));
            each.get(value).add(new JoinError(error.message(), path, error.internal()));
        }
        return each;
    }

    /*
     * Note [Joins of several values]
     * joinEach collects the objects of every value into one level, each value's paths prefixed with
     * its index ("2$.t[0].profile": GraphQL names hold no '$'), so that the keys of all of them go
     * in the same calls, and every error, whose path is that of an object, can be told back to its
     * value. A key shared by several values is sent once, and its error is reported at its first
     * object only; a failed request once, at its first key's object. So with several values each
     * error of a remote join is told to every value it concerns (forEachValue): a key's error to
     * each value holding the key, a failed request's to each value holding one of its keys, at that
     * value's own first such object — each value gets the errors the same query of its own would.
     */

    private static int valueOf(String path) {
        return Integer.parseInt(path, 0, path.indexOf('$'), 10);
    }

    /**
     * With several values (joinEach), each error of a join told to every value whose objects it
     * concerned, at that value's own first such object: a key's error to each value that has the
     * key, a failed request's to each value that has one of its keys. See Note [Joins of several values].
     */
    private List<JoinError> forEachValue(RemoteJoinCall.Outcome outcome, List<KeyBatch.Target> targets, KeyBatch batch) {
        if (!several || outcome.errors().isEmpty()) {
            return outcome.errors();
        }
        List<JoinError> out = new ArrayList<>();
        java.util.Set<JoinError> failed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (RemoteJoinCall.FailedCall call : outcome.failed()) {
            failed.add(call.error());
            told(call.error(), "", targets, batch, key -> key >= call.from() && key < call.to(), out);
        }
        for (JoinError error : outcome.errors()) {
            if (failed.contains(error)) {
                continue;
            }
            int key = keyAt(error.path(), batch);
            if (key < 0) {
                out.add(error);
                continue;
            }
            told(error, error.path().substring(batch.path(key).length()), targets, batch, k -> k == key, out);
        }
        return out;
    }

    /** Adds {@code error} once per value, at the first of its objects whose key {@code concerned} accepts, followed by {@code rest}. */
    private static void told(JoinError error, String rest, List<KeyBatch.Target> targets, KeyBatch batch,
                             java.util.function.IntPredicate concerned, List<JoinError> out) {
        java.util.Set<Integer> values = new java.util.HashSet<>();
        for (int i = 0; i < targets.size(); i++) {
            Integer key = batch.keyOf(i);
            if (key != null && concerned.test(key) && values.add(valueOf(targets.get(i).path()))) {
                out.add(new JoinError(error.message(), targets.get(i).path() + rest, error.internal()));
            }
        }
    }

    /** The key whose first object's path {@code path} is, or is inside; -1 when none. */
    private static int keyAt(String path, KeyBatch batch) {
        for (int key = 0; key < batch.keys().size(); key++) {
            String at = batch.path(key);
            if (path.startsWith(at) && (path.length() == at.length() || path.charAt(at.length()) == '.' || path.charAt(at.length()) == '[')) {
                return key;
            }
        }
        return -1;
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
     * Runs the joins of a level concurrently — ONE call or statement each — then the levels they uncover,
     * in a span of the level ({@code depth}: 1 for joins into root fields), each join in a span of its own.
     */
    private void run(JoinLevel level, int depth) {
        if (level.isEmpty()) {
            return;
        }
        RequestObservation observation = context.observation();
        observation.inSpan(SpanNames.JOIN_LEVEL, Map.of(SpanNames.JOIN_LEVEL_NUMBER, depth), () -> {
            SpanParent parent = observation.parent();
            List<Callable<?>> joins = new ArrayList<>();
            level.tables.forEach((join, objects) -> {
                KeyBatch batch = JoinLevel.tableBatch(join, objects);
                JoinTags tags = tags(join.join(), depth);
                joins.add(() -> observation.inSpan(parent, SpanNames.TABLE_JOIN,
                        attributes(tags, objects.objects().size(), batch.keys().size(), batch.keys().isEmpty() ? 0 : 1),
                        () -> tableJoin(join, batch, objects.path(), tags)));
            });
            level.remote.forEach((join, targets) -> joins.add(() -> {
                KeyBatch batch = KeyBatch.of(targets);
                JoinTags tags = tags(join.spec(), depth);
                int size = remotes.get(join.spec().remote()).config().batch();
                return observation.inSpan(parent, SpanNames.REMOTE_JOIN,
                        attributes(tags, targets.size(), batch.keys().size(), (batch.keys().size() + size - 1) / size),
                        () -> remoteJoin(join, targets, batch, tags));
            }));
            runAll(joins);
            return null;
        });
    }

    /**
     * Runs the joins of a level concurrently: each but the last on a thread of its own, the last on
     * this one, then waits for the others. Note [The last join on the caller's thread]: most levels
     * hold one join (Q3's: one remote), and a join handed to another thread costs the request two
     * hand-overs (the new thread's start, then this one's wake-up when it ends); so a level's last
     * join runs here, and a level of one join starts no thread. At one connection the difference was
     * inside the noise (Q3 p50 2.72-3.27 against 2.82-3.04 ms, three interleaved rounds); a table
     * join run here is watched as the request's own statements are (Note [Client disconnects] in
     * {@code execute.Database}).
     */
    private void runAll(List<Callable<?>> joins) {
        if (joins.isEmpty()) {
            return;
        }
        List<Future<?>> others = new ArrayList<>(joins.size() - 1);
        for (int i = 0; i < joins.size() - 1; i++) {
            others.add(threads.submit(joins.get(i)));
        }
        try {
            joins.getLast().call();
        } catch (RuntimeException e) {
            await(others);
            throw e;
        } catch (Exception e) {
            await(others);
            throw new IllegalStateException(e);
        }
        await(others);
    }

    /** Joins a remote schema into its objects: ONE request (per batch size) for all their distinct keys, then the joins into its answer. */
    private RemoteJoinCall.Outcome remoteJoin(JoinTree.RemoteJoin join, List<KeyBatch.Target> targets, KeyBatch batch, JoinTags tags) {
        JoinSpec spec = join.spec();
        RemoteSchema remote = remotes.get(spec.remote());
        RequestObservation observation = context.observation();
        RemoteJoinCall.Outcome outcome = RemoteJoinCall.execute(spec, remote, batch, context.variables(),
                RemoteHeaders.of(remote, context.clientHeaders(), context.session()), new JoinCalls(observation, observation.parent(), tags));
        JoinFailures.report(observation, "remote join '" + spec.relationship() + "' to remote schema '" + spec.remote() + "' (level "
                + tags.level() + ")", outcome.errors());
        errors.addAll(forEachValue(outcome, targets, batch));
        if (RemoteRenames.renames(remote.config())) {
            targets.forEach(t -> t.object().set(spec.alias(), AnswerRenames.renamed(remote, t.object().get(spec.alias()))));
        }
        JoinLevel next = new JoinLevel();
        for (KeyBatch.Target target : targets) {
            next.collect(target.object().get(spec.alias()), join.answer(), target.path());
        }
        run(next, tags.level() + 1);
        return outcome;
    }

    /** Joins a table into its objects: ONE statement for all their distinct keys, then the joins inside the rows it brought. */
    private Void tableJoin(JoinTree.TableJoin join, KeyBatch batch, String path, JoinTags tags) {
        RemoteTableJoin table = join.join();
        long start = System.nanoTime();
        List<JsonNode> results;
        try {
            results = TableJoinCall.run(table, batch.keys(), join.statement(),
                    databases.get(table.source()), context.variables(), context.session(), context.observation());
        } catch (RuntimeException e) {
            context.observation().joinCall(tags, batch.keys().size(), System.nanoTime() - start, CallOutcome.ERROR);
            throw e;
        }
        if (!batch.keys().isEmpty()) {
            context.observation().joinCall(tags, batch.keys().size(), System.nanoTime() - start, CallOutcome.SUCCESS);
        }
        batch.stitch(table.alias(), results, () -> table.relationship().array() ? JsonNodeFactory.instance.arrayNode() : NullNode.getInstance());
        JoinLevel next = new JoinLevel();
        for (ObjectNode object : batch.objects()) {
            next.collect(object.get(table.alias()), join.rows(), path + "." + table.alias());
        }
        run(next, tags.level() + 1);
        return null;
    }

    private static JoinTags tags(JoinSpec spec, int level) {
        String form = switch (spec.form()) {
            case JoinForm.PerKey perKey -> "per-key";
            case JoinForm.ListArgument list -> "list-argument";
            case JoinForm.Entities entities -> "entities";
        };
        return new JoinTags(spec.relationship(), spec.remote(), form, level);
    }

    private static JoinTags tags(RemoteTableJoin table, int level) {
        return new JoinTags(table.relationship().name(), table.relationship().target(), "table", level);
    }

    /** A join's span: what it follows, and its objects, distinct keys and calls. */
    private static Map<String, Object> attributes(JoinTags tags, int objects, int distinctKeys, int calls) {
        return Map.of(SpanNames.JOIN_RELATIONSHIP, tags.relationship(), SpanNames.JOIN_TARGET, tags.target(),
                SpanNames.JOIN_FORM, tags.form(), SpanNames.JOIN_LEVEL_NUMBER, tags.level(), SpanNames.JOIN_KEYS, objects,
                SpanNames.JOIN_DISTINCT_KEYS, distinctKeys, SpanNames.JOIN_CHUNKS, calls);
    }

    private static void await(List<Future<?>> joins) {
        for (Future<?> join : joins) {
            try {
                join.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JoineryException(ErrorCode.UNEXPECTED, "interrupted");
            }
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
