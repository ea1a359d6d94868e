package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import graphql.language.Argument;
import io.joinery.policies.Session;
import io.joinery.proxy.action.transform.ActionTransforms;
import io.joinery.proxy.plan.ActionSelection;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.schema.ActionsModel;
import io.joinery.proxy.schema.JsonScalars;
import io.joinery.telemetry.ClientCall;
import io.joinery.telemetry.RequestObservation;
import io.joinery.telemetry.SpanNames;
import io.joinery.telemetry.SpanParent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The action fields of one request. A query's are all started at once ({@link #start}), before the
 * SQL, so handlers, tables and remote schemas answer concurrently; a mutation's are called one after
 * another, in the client's order, as the response is written ({@link #value}). Each call is a span
 * {@code action.call} with the HTTP client span below it (its trace context goes to the handler) and
 * a {@code joinery.action.calls} measure. A failing call leaves its field null and an error
 * ({@link #errors}); the rest of the response is intact.
 */
public final class ActionCalls implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOGGER = System.getLogger(ActionCalls.class.getName());

    private final ActionsModel model;
    private final Map<String, ActionTransforms> transforms;
    private final Map<String, Object> variables;
    private final Session session;
    private final Map<String, String> clientHeaders;
    private final String query;
    private final RequestObservation observation;
    private final AsyncActions async;
    private final ActionHandlerCall handler = new ActionHandlerCall(ActionClient.SHARED);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<RootField.Action, Future<JsonNode>> started = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<ActionError> errors = Collections.synchronizedList(new ArrayList<>());

    /** {@code transforms}: the actions' compiled transforms by action name (none: sent and read as they are). */
    public ActionCalls(ActionsModel model, Map<String, ActionTransforms> transforms, Map<String, Object> variables, Session session,
                       Map<String, String> clientHeaders, String query, RequestObservation observation) {
        this(model, transforms, variables, session, clientHeaders, query, observation, null);
    }

    /** {@code async}: where asynchronous actions' calls go and their results are read (null: nowhere, an error). */
    public ActionCalls(ActionsModel model, Map<String, ActionTransforms> transforms, Map<String, Object> variables, Session session,
                       Map<String, String> clientHeaders, String query, RequestObservation observation, AsyncActions async) {
        this.async = async;
        this.model = model;
        this.transforms = transforms;
        this.variables = variables;
        this.session = session;
        this.clientHeaders = clientHeaders;
        this.query = query;
        this.observation = observation;
    }

    /** Starts the calls of {@code actions} without waiting for their answers. */
    public void start(List<RootField.Action> actions) {
        SpanParent parent = observation.parent();
        actions.forEach(action -> started.put(action, threads.submit(() -> call(parent, action))));
    }

    /**
     * The shaped answer of an action field, waiting for it if it was started, else calling its handler
     * now; null (and an error) when the call failed.
     */
    public JsonNode value(RootField.Action action) {
        Future<JsonNode> future = started.get(action);
        if (future == null) {
            return call(observation.parent(), action);
        }
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            errors.add(new ActionError("action '" + action.action().name() + "': interrupted", "$." + action.alias(),
                    ActionFailure.UNEXPECTED, null, null));
            return NullNode.getInstance();
        }
    }

    /** The errors of the calls so far. */
    public List<ActionError> errors() {
        return List.copyOf(errors);
    }

    private JsonNode call(SpanParent parent, RootField.Action action) {
        return switch (action.call()) {
            case ANSWER -> answer(parent, action);
            case ENQUEUE, RESULT -> asynchronous(action);
        };
    }

    /** An asynchronous action's field: the id of the call it records, or the call's result as Hasura shapes it. */
    private JsonNode asynchronous(RootField.Action action) {
        String name = action.action().name();
        try {
            if (async == null) {
                throw ActionFailure.unexpected("action '" + name + "': asynchronous actions are not available", "no action log");
            }
            if (action.call() == RootField.Action.Call.ENQUEUE) {
                return TextNode.valueOf(async.enqueue(action.action(), input(action), session, clientHeaders, query).toString());
            }
            Object id = input(action).path("id").asText(null);
            UUID uuid;
            try {
                uuid = UUID.fromString(String.valueOf(id));
            } catch (IllegalArgumentException e) {
                throw new ActionFailure("invalid input syntax for type uuid: \"" + id + "\"", "data-exception", null, null);
            }
            return async.read(uuid, action.action(), session).map(result -> result(action, result)).orElse(NullNode.getInstance());
        } catch (ActionFailure failure) {
            errors.add(ActionError.of(failure, "$." + action.alias()));
            return NullNode.getInstance();
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "unexpected failure of asynchronous action '" + name + "': " + e);
            errors.add(new ActionError("action '" + name + "': unexpected error", "$." + action.alias(), ActionFailure.UNEXPECTED,
                    null, String.valueOf(e)));
            return NullNode.getInstance();
        }
    }

    /** Hasura's object of an asynchronous call; {@code errors} with {@code internal} for the admin only. */
    private JsonNode result(RootField.Action action, AsyncActionLog.Result result) {
        ObjectNode out = JSON.createObjectNode();
        for (ActionSelection selected : action.selection()) {
            switch (selected) {
                case ActionSelection.Typename typename -> out.put(typename.key(), typename.typeName());
                case ActionSelection.Value value -> out.set(value.key(), switch (value.field()) {
                    case "id" -> TextNode.valueOf(result.id());
                    case "created_at" -> TextNode.valueOf(result.createdAt());
                    case "errors" -> {
                        JsonNode errors = result.errors().deepCopy();
                        // Hasura: the internals of the failure for the admin role only, whoever holds the admin secret
                        if (Session.ADMIN_ROLE.equals(session.role()) && result.internal() != null && errors instanceof ObjectNode object) {
                            object.put("internal", result.internal());
                        }
                        yield errors;
                    }
                    case "output" -> result.output().isNull() ? NullNode.getInstance()
                            : new ActionOutputShaper(model).shape(result.output(), value.type(), value.fields());
                    default -> NullNode.getInstance();
                });
                case ActionSelection.Join join -> out.putNull(join.key());
            }
        }
        return out;
    }

    private JsonNode answer(SpanParent parent, RootField.Action action) {
        String name = action.action().name();
        return observation.inSpan(parent, SpanNames.ACTION_CALL, Map.of(SpanNames.ACTION, name), () -> {
            long start = System.nanoTime();
            try {
                JsonNode answer;
                ActionTransforms transform = transforms.getOrDefault(name, ActionTransforms.NONE);
                try (ClientCall call = observation.startCall(observation.parent(), transform.method(),
                        ActionHandlerCall.spanAttributes(action.action(), transform.method()))) {
                    answer = handler.call(action.action(), transform, input(action), session, clientHeaders, query, call);
                }
                JsonNode shaped = new ActionOutputShaper(model).shape(answer, action.action().output(), action.selection());
                observation.actionCalled(name, System.nanoTime() - start, true);
                return shaped;
            } catch (ActionFailure failure) {
                if (failure.code().equals(ActionFailure.UNEXPECTED) && failure.extensions() == null) {
                    observation.currentSpanFailed("action-error", failure.getMessage());
                }
                observation.actionCalled(name, System.nanoTime() - start, false);
                errors.add(ActionError.of(failure, "$." + action.alias()));
                return NullNode.getInstance();
            } catch (RuntimeException e) {
                LOGGER.log(System.Logger.Level.WARNING, "unexpected failure of action '" + name + "': " + e);
                observation.actionCalled(name, System.nanoTime() - start, false);
                errors.add(new ActionError("action '" + name + "': unexpected error", "$." + action.alias(), ActionFailure.UNEXPECTED,
                        null, String.valueOf(e)));
                return NullNode.getInstance();
            }
        });
    }

    /** The client's arguments, their variables resolved and their input types' defaults filled in: the payload's {@code input}. */
    private ObjectNode input(RootField.Action action) {
        ObjectNode input = JSON.createObjectNode();
        for (Argument argument : action.field().getArguments()) {
            JsonNode value = JSON.valueToTree(JsonScalars.literal(argument.getValue(), variables));
            graphql.language.Type<?> type = action.action().arguments().get(argument.getName());
            input.set(argument.getName(), type == null ? value : InputDefaults.apply(value, type, model));
        }
        return input;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
