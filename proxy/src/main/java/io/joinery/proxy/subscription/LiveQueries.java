package io.joinery.proxy.subscription;

import io.joinery.policies.Sha256;
import io.joinery.policies.Session;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import graphql.language.OperationDefinition;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.engine.EngineState;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.engine.GraphqlRequest;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.execute.Database;
import io.joinery.proxy.execute.ParamBinder;
import io.joinery.proxy.join.ExecutionPlan;
import io.joinery.proxy.join.JoinContext;
import io.joinery.proxy.join.JoinStage;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.remote.JoinError;
import io.joinery.proxy.response.ResultTranscoder;
import io.joinery.proxy.response.ResponseWriter;
import io.joinery.telemetry.EngineObserver;
import io.joinery.telemetry.RequestObservation;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sidecar's live queries, polled in cohorts.
 *
 * <p>Note [Live queries]: a subscription's root field is a query root's table field
 * ({@code t}, {@code t_by_pk}, {@code t_aggregate}, a tracked function), compiled by the engine as a
 * query is, from the same caches. Subscribers whose operations compiled to the same statement (same
 * role schema, same document, same plan-shaping variables; {@link CohortKey}) form a cohort, whatever
 * their other variables and session values. Every refetch
 * interval each cohort runs ONE statement per {@link SubscriptionConfig#batchSize()} distinct
 * subscribers (Note [Multiplexed parameters] in {@link MultiplexedQuery}); subscribers with equal
 * values share their row. Each result is hashed, and a subscriber is sent it only when its hash
 * differs from the last one it was sent. A new subscriber gets its first result at once (a
 * statement of its own), then joins the polls. When the metadata changes, each subscriber is
 * prepared again on the new state at the next poll (its hash kept: an unchanged result is not sent
 * again); one that no longer validates gets the error and ends. Remote relationships in the results
 * are joined on each refetch, ONE call per join per level for a whole {@link JoinGroup} (Note [Join groups]).
 */
public final class LiveQueries implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(LiveQueries.class.getName());
    /** The root span of a join group's refetch joins: each refetch's calls are a trace of their own ({@link EngineObserver#background}). */
    static final String REFETCH_JOINS_SPAN = "subscription.joins";

    private final GraphqlEngine engine;
    private final SubscriptionConfig config;
    private final Map<CohortKey, Cohort> cohorts = new java.util.HashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong refetches = new java.util.concurrent.atomic.AtomicLong();
    private final Thread poller;
    private volatile boolean closed;

    public LiveQueries(GraphqlEngine engine, SubscriptionConfig config) {
        this.engine = engine;
        this.config = config;
        this.poller = Thread.ofVirtual().name("joinery-live-queries").start(this::poll);
    }

    /** Where a subscriber's results go: the connection formats them for its protocol. */
    interface Sink {
        /** A result ({@code {"data": …}}, or {@code {"errors": …}} when a refetch failed). */
        void next(String payload);

        /** The subscription ends with this failure (it no longer validates on new metadata). */
        void error(JoineryException failure);
    }

    /** One subscriber of a live query. */
    final class Subscriber {
        private final GraphqlRequest request;
        private final Session session;
        private final Sink sink;
        /** A streaming subscription's cursor; null for a live query. */
        private final StreamCursor stream;
        private volatile Cohort cohort;
        private volatile boolean stopped;
        private volatile CompiledQuery compiled;
        /** A stream's coerced variables (its cursor's among them at each fetch); null for a live query, whose values are bound once. */
        private volatile Map<String, Object> variables;
        /** The subscriber's bind values (Note [Multiplexed parameters]); a stream's change as its cursor moves. */
        private volatile String values;
        /** Who it shares its joins with; null when its live query has none (Note [Join groups]). */
        private volatile JoinGroup joinGroup;
        private byte[] lastHash;

        private Subscriber(GraphqlRequest request, Session session, Sink sink, StreamCursor stream) {
            this.request = request;
            this.session = session;
            this.sink = sink;
            this.stream = stream;
        }

        /** Takes a prepared operation: its compiled plan and its bind values (its variables kept only by a stream, whose cursor moves). */
        private void prepared(GraphqlEngine.Subscription prepared) {
            compiled = prepared.compiled();
            variables = stream == null ? null : prepared.variables();
            values = bind(prepared.compiled(), prepared.variables());
        }

        /** The bind values of the next fetch, for the compiled statement of its cohort. */
        private String bind(CompiledQuery compiled, Map<String, Object> variables) {
            Map<String, Object> current = stream == null ? variables : stream.variables(variables);
            return MultiplexedQuery.values(ParamBinder.bind(compiled.statements().getFirst().sql().params(), current, session));
        }

        /**
         * Sends a result fetched with {@code used} values: a live query's unless it is the one sent last
         * (by hash), a stream's new rows unless its cursor moved since the fetch began.
         */
        synchronized void deliver(String payload, byte[] hash, String used) {
            if (stopped) {
                return;
            }
            if (stream != null) {
                if (!used.equals(values)) {
                    return;
                }
                String batch = stream.advance(payload);
                values = bind(compiled, variables);
                if (batch != null) {
                    sink.next(batch);
                }
                return;
            }
            if (Arrays.equals(hash, lastHash)) {
                return;
            }
            lastHash = hash;
            sink.next(payload);
        }

        /** Ends this subscription: it leaves its cohort and is never sent anything again. */
        void stop() {
            remove(this);
        }
    }

    /**
     * Adds a subscriber of a prepared live query and sends it its first result. Refused with
     * {@code validation-failed} when the sidecar holds its maximum of subscriptions; with
     * {@code not-supported} when the subscription selects what live queries do not do (a remote schema's own field).
     */
    Subscriber add(GraphqlEngine.Subscription prepared, GraphqlRequest request, Session session, Sink sink) {
        Cohort.check(prepared.compiled());
        if (subscribers.incrementAndGet() > config.maxSubscriptions()) {
            subscribers.decrementAndGet();
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "the sidecar holds its maximum of " + config.maxSubscriptions()
                    + " subscriptions; try again later", "$", null);
        }
        Cohort cohort = cohort(prepared);
        Subscriber subscriber = new Subscriber(cohort.shared(request), session, sink, StreamCursor.of(prepared));
        try {
            subscriber.prepared(prepared);
            subscriber.joinGroup = cohort.joinGroup(session, request, prepared.variables());
            // its first result before it joins the polls: no poll races it
            cohort.fetch(prepared.state(), List.of(subscriber.values), List.of(List.of(subscriber)));
            join(prepared, subscriber);
            return subscriber;
        } catch (RuntimeException e) {
            remove(subscriber);
            throw e;
        }
    }

    /** The number of subscriptions held. */
    public int size() {
        return subscribers.get();
    }

    /** The refetches run so far (each polls every cohort once). */
    public long refetches() {
        return refetches.get();
    }

    /** The number of cohorts polled. */
    public int cohorts() {
        synchronized (cohorts) {
            return cohorts.size();
        }
    }

    /** The cohort of a prepared subscription, made (empty) when there is none. */
    private Cohort cohort(GraphqlEngine.Subscription prepared) {
        synchronized (cohorts) {
            return cohorts.computeIfAbsent(CohortKey.of(prepared), key -> observed(new Cohort(prepared, key)));
        }
    }

    /** Adds the subscriber to its cohort's polls, unless it was stopped meanwhile. */
    private void join(GraphqlEngine.Subscription prepared, Subscriber subscriber) {
        synchronized (subscriber) {
            if (subscriber.stopped) {
                return;
            }
            synchronized (cohorts) {
                Cohort cohort = cohorts.computeIfAbsent(CohortKey.of(prepared), key -> observed(new Cohort(prepared, key)));
                cohort.subscribers.add(subscriber);
                subscriber.cohort = cohort;
            }
        }
    }

    /** Stops a subscriber (once): it leaves its cohort, and the sidecar's count. */
    private void remove(Subscriber subscriber) {
        synchronized (subscriber) {
            if (subscriber.stopped) {
                return;
            }
            subscriber.stopped = true;
            Cohort cohort = subscriber.cohort;
            subscriber.cohort = null;
            if (cohort != null) {
                leave(cohort, subscriber);
            }
            subscribers.decrementAndGet();
        }
    }

    private void leave(Cohort cohort, Subscriber subscriber) {
        synchronized (cohorts) {
            cohort.subscribers.remove(subscriber);
            if (cohort.subscribers.isEmpty()) {
                cohorts.remove(cohort.key);
            }
        }
    }

    /** Refetches at a fixed rate: each refetch starts one interval after the one before (at once when that one took longer). */
    private void poll() {
        long next = System.nanoTime() + config.refetchInterval().toNanos();
        while (!closed) {
            try {
                Thread.sleep(java.time.Duration.ofNanos(Math.max(0, next - System.nanoTime())));
            } catch (InterruptedException e) {
                return;
            }
            next = Math.max(next + config.refetchInterval().toNanos(), System.nanoTime());
            try {
                refetch();
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "a refetch of the live queries failed", e);
            }
        }
    }

    /** One refetch of every cohort, their batches concurrently; cohorts of an older state are prepared again first. */
    void refetch() {
        List<Cohort> all;
        synchronized (cohorts) {
            all = List.copyOf(cohorts.values());
        }
        if (all.isEmpty()) {
            return;
        }
        refetches.incrementAndGet();
        engine.held(current -> {
            all.stream().filter(cohort -> cohort.state != current).forEach(this::prepareAgain);
            synchronized (cohorts) {
                cohorts.values().removeIf(cohort -> cohort.subscribers.isEmpty()); // made for a subscriber that stopped before it joined
            }
            List<Runnable> batches = new ArrayList<>();
            List<Cohort> served;
            synchronized (cohorts) {
                served = cohorts.values().stream().filter(cohort -> cohort.state == current).toList();
            }
            served.forEach(cohort -> batches.addAll(cohort.batches(current, config.batchSize())));
            runAll(batches);
            return null;
        });
    }

    private static void runAll(List<Runnable> batches) {
        if (batches.size() == 1) {
            batches.getFirst().run();
            return;
        }
        try (var scope = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = batches.stream().<Future<?>>map(scope::submit).toList();
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            LOGGER.log(System.Logger.Level.WARNING, "a live query batch failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves a stale cohort's subscribers to the cohorts of the state being served. */
    private void prepareAgain(Cohort stale) {
        for (Subscriber subscriber : List.copyOf(stale.subscribers)) {
            synchronized (subscriber) {
                if (subscriber.cohort != stale) {
                    continue;
                }
                try {
                    GraphqlEngine.Subscription prepared = engine.prepareSubscription(subscriber.request, subscriber.session);
                    if (prepared == null) {
                        throw new JoineryException(ErrorCode.VALIDATION_FAILED, "the operation is no longer a subscription", "$", null);
                    }
                    Cohort.check(prepared.compiled());
                    subscriber.prepared(prepared);
                    subscriber.joinGroup = cohort(prepared).joinGroup(subscriber.session, subscriber.request, prepared.variables());
                    leave(stale, subscriber);
                    join(prepared, subscriber);
                } catch (JoineryException e) {
                    remove(subscriber);
                    subscriber.sink.error(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }

    /**
     * What makes subscribers one cohort: the state and the statement (its text, its parameters, its
     * result's fields). Two compilations of one document (two requests that parsed it at once, before
     * either was cached) are equal, so they share a cohort.
     */
    record CohortKey(EngineState state, String sql, List<io.joinery.proxy.sql.Param> params, List<String> roots,
                     List<io.joinery.proxy.response.ResultShape> shapes) {

        @Override
        public boolean equals(Object other) {
            return other instanceof CohortKey key && key.state == state && key.sql.equals(sql) && key.params.equals(params)
                    && key.roots.equals(roots) && key.shapes.equals(shapes);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(System.identityHashCode(state), sql, roots);
        }

        static CohortKey of(GraphqlEngine.Subscription prepared) {
            CompiledQuery.SourceStatement statement = prepared.compiled().statements().getFirst();
            return new CohortKey(prepared.state(), statement.sql().text(), statement.sql().params(), statement.roots(), statement.shapes());
        }
    }

    /** The subscribers of one compiled live query, and its multiplexed statement. */
    /** {@code cohort}, its joins told to the engine's telemetry. */
    private Cohort observed(Cohort cohort) {
        cohort.observer = engine.observer();
        return cohort;
    }

    static final class Cohort {
        final EngineState state;
        final CompiledQuery compiled;
        final CohortKey key;
        final String statement;
        final CompiledQuery.SourceStatement single;
        final java.util.Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        /** The joins of its results; null when it has none. */
        final ExecutionPlan joins;
        /** The variables its joins read ({@link ExecutionPlan#variablesRead}). */
        final java.util.Set<String> joinVariables;
        /** Whether a remote schema of its state forwards the client's headers (then they part join groups). */
        final boolean forwardsHeaders;
        final OperationDefinition operation;
        /** What telemetry is told of the cohort's refetch joins ({@link #REFETCH_JOINS_SPAN}). */
        EngineObserver observer = EngineObserver.NOOP;
        /** The query text its subscribers share ({@link #shared}). */
        private volatile String query;

        Cohort(GraphqlEngine.Subscription prepared, CohortKey key) {
            this.state = prepared.state();
            this.compiled = prepared.compiled();
            this.key = key;
            this.single = compiled.statements().getFirst();
            this.statement = MultiplexedQuery.of(single.sql());
            this.joins = compiled.remoteJoins() ? ExecutionPlan.of(compiled) : null;
            this.joinVariables = joins == null ? java.util.Set.of() : joins.variablesRead();
            this.forwardsHeaders = joins != null && state.model().remotes().values().stream().anyMatch(r -> r.config().forwardClientHeaders());
            this.operation = prepared.operation();
        }

        /**
         * The request with the cohort's copy of its query text when the texts are equal: thousands of
         * subscribers of one live query keep one text (see the heap per subscriber, README Benchmarks).
         */
        GraphqlRequest shared(GraphqlRequest request) {
            String text = query;
            if (text == null) {
                query = request.query();
                return request;
            }
            return text != request.query() && text.equals(request.query())
                    ? new GraphqlRequest(text, request.operationName(), request.variables(), request.headers()) : request;
        }

        /** The join group of a subscriber of this cohort; null when its results have no joins. See Note [Join groups]. */
        JoinGroup joinGroup(Session session, GraphqlRequest request, Map<String, Object> variables) {
            if (joins == null) {
                return null;
            }
            Map<String, Object> read = new java.util.TreeMap<>();
            joinVariables.forEach(name -> read.put(name, variables.get(name)));
            return new JoinGroup(session, forwardsHeaders ? request.headers() : Map.of(), read);
        }

        /** What live queries do not do yet, refused before anything runs. */
        static void check(CompiledQuery compiled) {
            if (compiled.statements().size() != 1 || compiled.statements().getFirst().roots().size() != 1) {
                throw new JoineryException(ErrorCode.NOT_SUPPORTED, "a subscription selects one table field", "$", null);
            }
            if (compiled.plan().hasRemoteRoots()) {
                // not reached while subscription_root has no remote schema's field (the schema refuses it first); Hasura's words
                throw new JoineryException(ErrorCode.NOT_SUPPORTED, "subscription to remote server is not supported", "$", null);
            }
        }

        /** The cohort's subscribers grouped by their values, in batches of at most {@code size} groups. */
        List<Runnable> batches(EngineState current, int size) {
            Map<String, List<Subscriber>> groups = new LinkedHashMap<>();
            for (Subscriber subscriber : subscribers) {
                groups.computeIfAbsent(subscriber.values, v -> new ArrayList<>()).add(subscriber);
            }
            List<String> values = new ArrayList<>(groups.keySet());
            List<List<String>> batchValues = new ArrayList<>();
            List<List<List<Subscriber>>> batchReceivers = new ArrayList<>();
            for (int from = 0; from < values.size(); from += size) {
                List<String> batch = values.subList(from, Math.min(values.size(), from + size));
                batchValues.add(batch);
                batchReceivers.add(batch.stream().map(groups::get).toList());
            }
            if (joins != null) {
                // Note [Join groups]: the rows of all the batches, then ONE join run per group for the whole cohort
                return List.of(() -> fetchJoined(current, batchValues, batchReceivers));
            }
            List<Runnable> batches = new ArrayList<>();
            for (int b = 0; b < batchValues.size(); b++) {
                List<String> batch = batchValues.get(b);
                List<List<Subscriber>> receivers = batchReceivers.get(b);
                batches.add(() -> fetch(current, batch, receivers));
            }
            return batches;
        }

        /** ONE statement for these values; each row's result goes to the subscribers of its values (joined first, when it has joins). */
        void fetch(EngineState current, List<String> values, List<List<Subscriber>> receivers) {
            if (joins != null) {
                fetchJoined(current, List.of(values), List.of(receivers));
                return;
            }
            List<Row> rows = query(current, values, receivers);
            if (rows == null) {
                return;
            }
            for (Row row : rows) {
                String payload = new String(new ResponseWriter().field(single.roots().getFirst())
                        .result(row.getString(1), single.shapes().getFirst()).finish(), StandardCharsets.UTF_8);
                byte[] hash = hash(payload);
                int id = row.getInteger(0);
                receivers.get(id).forEach(subscriber -> subscriber.deliver(payload, hash, values.get(id)));
            }
        }

        /** The rows of ONE statement for these values; null when it failed, its error then sent to their subscribers. */
        private List<Row> query(EngineState current, List<String> values, List<List<Subscriber>> receivers) {
            Database database = current.databases().get(single.source());
            Integer[] ids = new Integer[values.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            List<Row> rows = new ArrayList<>(values.size());
            try {
                if (database == null) {
                    throw new JoineryException(ErrorCode.UNEXPECTED, "source '" + single.source() + "' is not available");
                }
                database.prepared(statement, Tuple.tuple().addValue(ids).addValue(values.toArray(String[]::new))).forEach(rows::add);
                return rows;
            } catch (JoineryException e) {
                String payload = ResponseWriter.error(e, false);
                byte[] hash = hash(payload);
                for (int i = 0; i < receivers.size(); i++) {
                    String used = values.get(i);
                    receivers.get(i).forEach(subscriber -> subscriber.deliver(
                            subscriber.session.isAdmin() ? ResponseWriter.error(e, true) : payload, hash, used));
                }
                return null;
            }
        }

        /**
         * The statements of these batches (concurrently), then their rows joined and sent: per join group
         * ONE run of the join stage for all the rows its subscribers receive, over every batch (one call
         * per join per level for the cohort), each row's result then sent to the group's subscribers who
         * receive it. Groups run concurrently.
         */
        private void fetchJoined(EngineState current, List<List<String>> batchValues, List<List<List<Subscriber>>> batchReceivers) {
            List<String> values = new ArrayList<>();
            List<List<Subscriber>> receivers = new ArrayList<>();
            int[] offsets = new int[batchValues.size()];
            for (int b = 0; b < batchValues.size(); b++) {
                offsets[b] = values.size();
                values.addAll(batchValues.get(b));
                receivers.addAll(batchReceivers.get(b));
            }
            String[] results = new String[values.size()];
            boolean[] fetched = new boolean[values.size()];
            List<Runnable> statements = new ArrayList<>(batchValues.size());
            for (int b = 0; b < batchValues.size(); b++) {
                int batch = b;
                statements.add(() -> {
                    List<Row> rows = query(current, batchValues.get(batch), batchReceivers.get(batch));
                    if (rows != null) {
                        for (Row row : rows) {
                            int id = offsets[batch] + row.getInteger(0);
                            results[id] = row.getString(1);
                            fetched[id] = true;
                        }
                    }
                });
            }
            runAll(statements);
            Map<JoinGroup, Map<Integer, List<Subscriber>>> groups = new LinkedHashMap<>();
            for (int id = 0; id < values.size(); id++) {
                if (!fetched[id]) {
                    continue;
                }
                for (Subscriber subscriber : receivers.get(id)) {
                    JoinGroup group = subscriber.joinGroup;
                    if (group != null) {
                        groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).computeIfAbsent(id, i -> new ArrayList<>()).add(subscriber);
                    }
                }
            }
            List<Runnable> runs = new ArrayList<>(groups.size());
            groups.forEach((group, members) -> runs.add(() -> joinAndDeliver(current, group, members, results, values)));
            runAll(runs);
        }

        private void joinAndDeliver(EngineState current, JoinGroup group, Map<Integer, List<Subscriber>> members, String[] results,
                                    List<String> values) {
            List<Integer> ids = List.copyOf(members.keySet());
            List<JsonNode> trees = new ArrayList<>(ids.size());
            ids.forEach(id -> trees.add(results[id] == null ? NullNode.getInstance() : ResultTranscoder.toTree(results[id], single.shapes().getFirst())));
            RootField root = compiled.plan().roots().getFirst();
            List<List<JoinError>> errors;
            try (RequestObservation observation = observer.background(REFETCH_JOINS_SPAN, group.session().role());
                 JoinStage stage = new JoinStage(current.model().remotes(), current.databases(), joins, new JoinContext(operation, Map.of(),
                    group.variables(), group.session(), group.headers(), observation))) {
                errors = stage.joinEach(root, trees);
            } catch (RuntimeException failure) {
                JoineryException e = failure instanceof JoineryException joinery ? joinery
                        : new JoineryException(ErrorCode.UNEXPECTED, "the joins of a live query failed", "$", String.valueOf(failure));
                if (!(failure instanceof JoineryException)) {
                    LOGGER.log(System.Logger.Level.WARNING, "the joins of a live query failed", failure);
                }
                String payload = ResponseWriter.error(e, group.session().isAdmin());
                byte[] hash = hash(payload);
                ids.forEach(id -> members.get(id).forEach(subscriber -> subscriber.deliver(payload, hash, values.get(id))));
                return;
            }
            for (int i = 0; i < ids.size(); i++) {
                int id = ids.get(i);
                String payload = new String(new ResponseWriter().field(single.roots().getFirst()).tree(trees.get(i))
                        .finish(errors.get(i), group.session().isAdmin()), StandardCharsets.UTF_8);
                byte[] hash = hash(payload);
                members.get(id).forEach(subscriber -> subscriber.deliver(payload, hash, values.get(id)));
            }
        }
    }

    /**
     * What subscribers of one cohort must share to share its joins.
     *
     * <p>Note [Join groups]: a live query's remote relationships (and tables of other sources) are
     * joined on every refetch by the join stage queries use, ONE call per join per level for all the
     * subscribers of a group, whatever the number of statements (batches) the cohort's refetch took:
     * the keys of all their rows go in one call and come back to each row (Note [Joins of several
     * values] in {@code join.JoinStage}); the rows of a joined cohort are thus sent once all its
     * statements have answered. Besides the keys, a call carries
     * what the join stage takes from the request: the session (a remote receives every session
     * variable as a header; a table join's permission filter binds them), the client's headers (to
     * a remote schema that forwards them) and the variables the join's selection and arguments read.
     * Subscribers share a group — and so the calls — when all three are equal: the same session
     * (role, admin or not, every session variable), the same headers when a remote schema of the
     * metadata forwards them (else none count), the same values of the variables the joins read
     * (the other variables, those of the SQL's filters, may differ). Subscribers of different users
     * are thus joined in calls of their own: a remote may answer each user differently, and must
     * never see one user's rows under another's headers. A failing remote, as in a query, leaves
     * nulls and an error in each result it concerns, and the subscription goes on; a failing table
     * join fails that refetch's result for the group (the error is sent, the subscription goes on).
     */
    record JoinGroup(Session session, Map<String, String> headers, Map<String, Object> variables) {
    }

    /** Results are compared by a digest of their bytes, so a subscriber keeps 32 bytes, not its last result. */
    static byte[] hash(String payload) {
        return Sha256.of(payload);
    }
}
