package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.policies.Session;
import io.joinery.proxy.action.transform.ActionTransforms;
import io.joinery.proxy.schema.ActionModel;
import io.joinery.proxy.schema.ActionsModel;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.EngineObserver;
import io.joinery.telemetry.RequestObservation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asynchronous actions (Hasura's {@code kind: asynchronous}): {@link #enqueue} records the call in
 * the {@link AsyncActionLog} and returns its id at once, the handler is called on a virtual thread
 * of this sidecar, and its answer (or its error) is written back to the log, where {@link #read}
 * finds it for the caller's session.
 *
 * <p>Note [Async actions across a restart]: the log is in the metadata store's database, so a
 * result outlives the sidecar that produced it, and any sidecar of the fleet reads it. A call is
 * claimed before it is sent ({@code created} → {@code processing}, one UPDATE, so two sidecars never
 * both send it), with a lease of the action's timeout plus {@link #MARGIN}: a live sidecar has
 * answered or timed out by then. What happens to a call its sidecar did not finish:
 * <ul>
 * <li>never sent ({@code created}: the sidecar stopped between recording and claiming it): any
 *     sidecar sends it later — at its start and on every {@link #SWEEP_EVERY} sweep. The handler has
 *     never seen it, so sending it is safe.</li>
 * <li>sent and unanswered ({@code processing}): it is marked failed, {@link #ABANDONED}, and NOT
 *     sent again. The handler may have acted on it (charged a card, sent a mail); an action is a
 *     mutation, and calling it twice is worse than a clear error the client can see in
 *     {@code errors} and act on. A graceful stop waits up to the shutdown grace for the calls in
 *     flight, then marks those still unanswered at once; after a crash, the first sweep after their
 *     lease ran out does. Hasura differs: on a graceful stop it puts them back to {@code created}
 *     (sent again: at-least-once), and after a crash they stay {@code processing} for ever.</li>
 * </ul>
 */
public final class AsyncActions implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(AsyncActions.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration MARGIN = Duration.ofSeconds(10);
    static final Duration SWEEP_EVERY = Duration.ofSeconds(5);
    static final String ABANDONED = "the sidecar calling the handler stopped before the handler answered; "
            + "the action was not sent again, as the handler may have acted on it";
    private static final int CLAIM_BATCH = 10;

    /** The served action named so, with its transforms and the types to check its answer against. */
    public record Served(ActionModel action, ActionTransforms transforms, ActionsModel model) {
    }

    private final AsyncActionLog log;
    private final Function<String, Optional<Served>> actions;
    private final Supplier<List<ActionModel>> asynchronous;
    private final EngineObserver observer;
    private final ActionHandlerCall handler = new ActionHandlerCall(ActionClient.SHARED);
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeps = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
    private final Map<UUID, Boolean> inFlight = new ConcurrentHashMap<>();

    /**
     * {@code actions}: the served asynchronous action of a name, from the metadata being served when
     * the call is sent; {@code asynchronous}: the served metadata's asynchronous actions (no sweep without any).
     */
    public AsyncActions(AsyncActionLog log, Function<String, Optional<Served>> actions, Supplier<List<ActionModel>> asynchronous) {
        this(log, actions, asynchronous, EngineObserver.NOOP);
    }

    /** With {@code observer} recording each background call under a trace of its own ({@link EngineObserver#background}). */
    public AsyncActions(AsyncActionLog log, Function<String, Optional<Served>> actions, Supplier<List<ActionModel>> asynchronous,
                        EngineObserver observer) {
        this.log = log;
        this.actions = actions;
        this.asynchronous = asynchronous;
        this.observer = observer;
    }

    /** The root span of an asynchronous action's background call; the call's own span below it names the action. */
    static final String BACKGROUND_SPAN = "action.async";

    /** Sweeps now and every {@link #SWEEP_EVERY}: sends the calls no sidecar sent, fails those whose sidecar is gone. */
    public AsyncActions start() {
        sweeps.scheduleWithFixedDelay(this::sweep, 0, SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Records a call of {@code action} and sends it in the background; returns its id. */
    public UUID enqueue(ActionModel action, JsonNode input, Session session, Map<String, String> clientHeaders, String query) {
        Map<String, String> forwarded = new LinkedHashMap<>();
        if (action.forwardClientHeaders()) {
            ActionHandlerCall.forwarded(clientHeaders, forwarded);
        }
        UUID id = log.insert(action.name(), input, sessionVariables(session), forwarded, query);
        calls.submit(() -> {
            try {
                log.claim(id, lease(action)).ifPresent(this::send);
            } catch (RuntimeException e) {
                // left created: a sweep sends it (Note [Async actions across a restart])
                LOGGER.log(System.Logger.Level.WARNING, "cannot claim asynchronous action call " + id + ": " + describe(e));
            }
        });
        return id;
    }

    /**
     * The call {@code id} of {@code action} if {@code session} may read it. Hasura's rule: the admin
     * role reads every call, any other role only those made with exactly its session variables (the
     * same role and user); the admin secret with another role is that role.
     */
    Optional<AsyncActionLog.Result> read(UUID id, ActionModel action, Session session) {
        return log.read(id, action.name(), Session.ADMIN_ROLE.equals(session.role()), sessionVariables(session));
    }

    /** The session variables as the payload carries them and the log keeps them: the role among them. */
    static ObjectNode sessionVariables(Session session) {
        ObjectNode variables = JSON.createObjectNode();
        new TreeMap<>(session.variables()).forEach(variables::put);
        variables.put(Session.ROLE, session.role());
        return variables;
    }

    private void sweep() {
        try {
            List<ActionModel> served = asynchronous.get();
            if (served.isEmpty()) {
                return;
            }
            // A swept call's action is known once it is claimed: its lease is the longest any of them needs.
            Duration lease = served.stream().map(AsyncActions::lease).max(Duration::compareTo).orElseThrow();
            int abandoned = log.abandon(error(ABANDONED), List.of());
            if (abandoned > 0) {
                LOGGER.log(System.Logger.Level.WARNING, abandoned + " asynchronous action call(s) were unanswered when their sidecar stopped: "
                        + "marked failed (Note [Async actions across a restart])");
            }
            for (AsyncActionLog.Call call : log.claimCreated(CLAIM_BATCH, lease)) {
                calls.submit(() -> send(call));
            }
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "cannot sweep the asynchronous action log: " + describe(e));
        }
    }

    private static Duration lease(ActionModel action) {
        return action.timeout().plus(MARGIN);
    }

    /** Sends a claimed call and writes its answer or its error back. */
    private void send(AsyncActionLog.Call call) {
        inFlight.put(call.id(), Boolean.TRUE);
        try {
            Optional<Served> served = actions.apply(call.action());
            if (served.isEmpty()) {
                log.fail(call.id(), error("action '" + call.action() + "' is no longer an asynchronous action of the metadata"), null);
                return;
            }
            ActionModel action = served.get().action();
            Session session = session(call.sessionVariables());
            try (RequestObservation observation = observer.background(BACKGROUND_SPAN, session.role())) {
                JsonNode answer;
                try (ClientCall span = observation.startCall(observation.parent(), served.get().transforms().method(),
                        ActionHandlerCall.spanAttributes(action, served.get().transforms().method()))) {
                    answer = handler.call(action, served.get().transforms(), call.input(), session, call.headers(), call.query(), span);
                }
                new ActionOutputShaper(served.get().model()).shape(answer, action.output(), List.of());
                log.complete(call.id(), answer);
            } catch (ActionFailure failure) {
                ObjectNode errors = error(failure.getMessage());
                errors.put("code", failure.code());
                if (failure.extensions() != null) {
                    errors.set("extensions", failure.extensions());
                }
                log.fail(call.id(), errors, failure.internal());
            }
        } catch (RuntimeException e) {
            if (calls.isShutdown()) {
                return; // stopping: close() marks it (Note [Async actions across a restart])
            }
            LOGGER.log(System.Logger.Level.WARNING, "asynchronous action '" + call.action() + "' failed unexpectedly: " + e);
            try {
                log.fail(call.id(), error("action '" + call.action() + "': unexpected error"), String.valueOf(e));
            } catch (RuntimeException again) {
                LOGGER.log(System.Logger.Level.WARNING, "cannot record the failure of an asynchronous action: " + again.getMessage());
            }
        } finally {
            inFlight.remove(call.id());
        }
    }

    /** The database's own words for an admin's log (never a client's answer). */
    private static String describe(RuntimeException e) {
        return e instanceof io.joinery.proxy.error.JoineryException joinery && joinery.internal() != null
                ? e.getMessage() + " (" + joinery.internal() + ")" : String.valueOf(e.getMessage());
    }

    /** Hasura's stored error: {@code {path: "$", error, code}}. */
    private static ObjectNode error(String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("path", "$");
        error.put("error", message);
        error.put("code", ActionFailure.UNEXPECTED);
        return error;
    }

    private static Session session(ObjectNode variables) {
        Map<String, String> values = new LinkedHashMap<>();
        variables.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        String role = values.getOrDefault(Session.ROLE, Session.ADMIN_ROLE);
        return new Session(role, Session.ADMIN_ROLE.equals(role), values);
    }

    /**
     * Stops sweeping, gives the calls in flight up to {@code grace} to be answered, then marks those
     * still unanswered failed (Note [Async actions across a restart]) and closes the log.
     */
    public void close(Duration grace) {
        sweeps.shutdownNow();
        calls.shutdown();
        try {
            if (!calls.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                // Marked before the calls are interrupted: their own failure ("interrupted") then finds them no longer processing.
                List<UUID> unanswered = new ArrayList<>(inFlight.keySet());
                if (!unanswered.isEmpty()) {
                    log.abandon(error(ABANDONED), unanswered);
                }
                calls.shutdownNow();
                calls.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "cannot mark the unanswered asynchronous actions failed: " + e.getMessage());
        }
        log.close();
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
