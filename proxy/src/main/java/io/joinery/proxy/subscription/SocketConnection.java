package io.joinery.proxy.subscription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import io.joinery.policies.AccessDenied;
import io.joinery.policies.Session;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.engine.GraphqlRequest;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.http.GraphqlEndpoint;
import io.joinery.proxy.response.ResponseWriter;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One WebSocket connection at {@code /v1/graphql}, in the protocol its client asked for with
 * {@code Sec-WebSocket-Protocol}: {@code graphql-transport-ws} (the graphql-ws library) or the older
 * {@code graphql-ws} (subscriptions-transport-ws; also when the client names none).
 *
 * <p>Note [Sessions over WebSocket]: the session is resolved once, at {@code connection_init}, by the
 * same {@link SessionResolver} as an HTTP request's, from the upgrade request's headers overlaid with
 * the init payload's ({@code {"headers": {…}}}, or its top-level string values): the admin secret, a
 * JWT in {@code Authorization}, {@code x-joinery-role} and the session variables. A refused session
 * closes the connection (4403 in {@code graphql-transport-ws}; {@code connection_error} in
 * {@code graphql-ws}). Every operation of the connection runs with that session: queries and
 * mutations through the engine as over HTTP, subscriptions as live queries ({@link LiveQueries}),
 * each subscriber with its own permission filters and session values.
 */
final class SocketConnection implements WsListener {

    static final String TRANSPORT_WS = "graphql-transport-ws";
    static final String LEGACY_WS = "graphql-ws";
    /**
     * Note [Init timeout under load]: a connection that sends no {@code connection_init} within
     * {@link SubscriptionConfig#initTimeout()} is closed with 4408, as graphql-ws does. The timer runs
     * on a platform thread of its own, but the connection's reader is a virtual thread: when the
     * sidecar is busy (thousands of subscribers starting at once, on two cores) the reader may wait
     * seconds to be scheduled while the client's init has long arrived, and the timer would close a
     * connection that did nothing wrong (one 10,000-subscriber run lost two connections so). So the
     * timer only hands the decision to a virtual thread, which queues behind the readers as they do,
     * and measures how late it ran: later than {@link #MAX_SCHEDULER_LAG}, the sidecar was too busy
     * to have read the init, so it waits as long again and asks once more; once the scheduler answers
     * in time (so a reader with data would have run too) and no init was read, 4408. A client that
     * never sends one is closed at the latest after {@link #MAX_INIT_WAITS} timeouts.
     * {@code SocketProtocolTest.aConnectionInitTheSidecarIsTooBusyToReadInTimeIsAcknowledged}.
     */
    static final java.time.Duration MAX_SCHEDULER_LAG = java.time.Duration.ofMillis(100);
    static final int MAX_INIT_WAITS = 10;
    /** Operations of one connection starting at once (Note [Operation starts]). */
    static final int MAX_STARTING = 8;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final GraphqlEngine engine;
    private final SessionResolver sessions;
    private final SubscriptionConfig config;
    private final LiveQueries live;
    private final ScheduledExecutorService timer;
    private final BooleanSupplier ready;
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    /** Operations waiting to start, and the threads starting them (Note [Operation starts]). */
    private final java.util.Queue<Runnable> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger starting = new java.util.concurrent.atomic.AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private Map<String, String> upgradeHeaders = Map.of();
    private boolean legacy = true;
    private volatile WsSession socket;
    private volatile Outbox outbox;
    private volatile Session session;
    private volatile Map<String, String> headers = Map.of();
    private volatile boolean initReceived;
    private volatile boolean closed;
    private ScheduledFuture<?> keepAlive;
    private volatile ScheduledFuture<?> initTimeout;
    /** How long the connection has waited for its {@code connection_init} so far (Note [Init timeout under load]). */
    private long initWaited;

    /** An operation of the connection: a live query's subscriber, or a query or mutation running. */
    private record Operation(LiveQueries.Subscriber subscriber) {
    }

    SocketConnection(GraphqlEngine engine, SessionResolver sessions, SubscriptionConfig config, LiveQueries live,
                     ScheduledExecutorService timer, BooleanSupplier ready) {
        this.engine = engine;
        this.sessions = sessions;
        this.config = config;
        this.live = live;
        this.timer = timer;
        this.ready = ready;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        if (!ready.getAsBoolean()) {
            throw new WsUpgradeException("not ready: the metadata is not loaded yet");
        }
        Map<String, String> names = new HashMap<>();
        for (Header header : headers) {
            names.put(header.name().toLowerCase(Locale.ROOT), header.get());
        }
        upgradeHeaders = Map.copyOf(names);
        java.util.List<String> offered = headers.values(HeaderNames.create("Sec-WebSocket-Protocol")).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (offered.isEmpty()) {
            return Optional.empty();
        }
        String chosen = offered.contains(TRANSPORT_WS) ? TRANSPORT_WS : offered.contains(LEGACY_WS) ? LEGACY_WS : null;
        if (chosen == null) {
            throw new WsUpgradeException("unsupported WebSocket subprotocol " + offered + "; supported: " + TRANSPORT_WS + ", " + LEGACY_WS);
        }
        legacy = chosen.equals(LEGACY_WS);
        WritableHeaders<?> answer = WritableHeaders.create();
        answer.set(HeaderNames.create("Sec-WebSocket-Protocol"), chosen);
        return Optional.of(answer);
    }

    @Override
    public void onOpen(WsSession session) {
        this.socket = session;
        this.outbox = new Outbox(session, config.maxQueuedMessages(), () -> terminate(1008, "too slow to read its messages"),
                this::end); // Note [Vanished clients] in Outbox
        initTimeout = timer.schedule(this::initDeadline, config.initTimeout().toMillis(), TimeUnit.MILLISECONDS);
        long every = config.keepAlive().toMillis();
        keepAlive = timer.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The wait for {@code connection_init} is over (on the timer's thread): closes the connection with
     * 4408 unless the init came, or the sidecar was too busy to have read it (Note [Init timeout under load]).
     */
    private void initDeadline() {
        long due = System.nanoTime();
        Thread.ofVirtual().name("joinery-ws-init-timeout").start(() -> {
            synchronized (this) { // with init(): an init read meanwhile is acknowledged, or the connection closed, not both
                if (initReceived || closed) {
                    return;
                }
                long lag = System.nanoTime() - due;
                initWaited += config.initTimeout().toNanos() + lag;
                if (lag > MAX_SCHEDULER_LAG.toNanos() && initWaited < MAX_INIT_WAITS * config.initTimeout().toNanos()) {
                    initTimeout = timer.schedule(this::initDeadline, lag, TimeUnit.NANOSECONDS);
                    return;
                }
                close(4408, "Connection initialisation timeout");
            }
        });
    }

    /** A ping frame (the client's pong keeps the listener's read timeout away), and {@code ka} in {@code graphql-ws}. */
    private void keepAlive() {
        if (closed) {
            return;
        }
        Outbox out = outbox;
        if (out != null) {
            out.ping();
        }
        if (legacy && session != null) {
            send("{\"type\":\"ka\"}");
        }
    }

    @Override
    public void onMessage(WsSession ws, String text, boolean last) {
        partial.append(text);
        if (!last) {
            return;
        }
        String message = partial.toString();
        partial.setLength(0);
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            invalid("Invalid message received");
            return;
        }
        String type = node.path("type").textValue();
        String id = node.path("id").isTextual() ? node.path("id").textValue() : null;
        switch (type) {
            case "connection_init" -> init(node.path("payload"));
            case "ping" -> {
                if (!legacy) {
                    send(node.has("payload") ? "{\"type\":\"pong\",\"payload\":" + node.path("payload") + "}" : "{\"type\":\"pong\"}");
                }
            }
            case "pong" -> {
            }
            case "subscribe", "start" -> start(type, id, node.path("payload"));
            case "complete", "stop" -> stop(type, id);
            case "connection_terminate" -> close(1000, "Normal Closure");
            default -> invalid("Invalid message type: " + type);
        }
    }

    private void invalid(String reason) {
        if (legacy) {
            send("{\"type\":\"connection_error\",\"payload\":{\"message\":" + quote(reason) + "}}");
            return;
        }
        close(4400, reason);
    }

    private void init(JsonNode payload) {
        if (initReceived) {
            if (!legacy) {
                close(4429, "Too many initialisation requests");
            }
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            initReceived = true;
        }
        if (initTimeout != null) {
            initTimeout.cancel(false);
        }
        Map<String, String> merged = new HashMap<>(upgradeHeaders);
        JsonNode given = payload.path("headers").isObject() ? payload.path("headers") : payload;
        if (given.isObject()) {
            given.properties().forEach(entry -> {
                if (entry.getValue().isValueNode() && !entry.getValue().isNull()) {
                    merged.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue().asText());
                }
            });
        }
        try {
            this.session = sessions.resolve(merged, () -> null);
            this.headers = Map.copyOf(merged);
        } catch (AccessDenied e) {
            if (legacy) {
                send("{\"type\":\"connection_error\",\"payload\":{\"message\":" + quote(e.getMessage()) + "}}");
                timer.schedule(() -> close(1000, "Normal Closure"), 100, TimeUnit.MILLISECONDS);
            } else {
                close(4403, "Forbidden");
            }
            return;
        }
        send("{\"type\":\"connection_ack\"}");
        if (legacy) {
            send("{\"type\":\"ka\"}");
        }
    }

    private void start(String type, String id, JsonNode payload) {
        if (legacy != type.equals("start") || id == null) {
            invalid("Invalid message received");
            return;
        }
        if (session == null) {
            if (legacy) {
                error(id, new JoineryException(ErrorCode.VALIDATION_FAILED, "start received before the connection is initialised", "$", null));
            } else {
                close(4401, "Unauthorized");
            }
            return;
        }
        if (operations.putIfAbsent(id, new Operation(null)) != null) {
            if (legacy) {
                error(id, new JoineryException(ErrorCode.VALIDATION_FAILED, "an operation with id '" + id + "' is already running", "$", null));
            } else {
                close(4409, "Subscriber for " + id + " already exists");
            }
            return;
        }
        GraphqlRequest request;
        try {
            request = GraphqlEndpoint.request(payload).withHeaders(headers);
        } catch (JoineryException e) {
            operations.remove(id);
            error(id, e);
            return;
        }
        Session current = session;
        pending.add(() -> run(id, request, current));
        startIfRoom();
    }

    /**
     * Note [Operation starts]: a connection's operations start in their order, at most
     * {@link #MAX_STARTING} at once, each on a virtual thread that then takes the next waiting one.
     * A subscription holds its thread only until its first result is sent, a query or mutation until
     * it is answered. Without the bound, a client that subscribes 100 times at once parks 100 threads
     * on the database pool, each with its stack and request on the heap: 10,000 subscribers starting
     * together grew the heap by tens of MB that it then kept, and queued thousands of threads ahead
     * of the connections' readers (Note [Init timeout under load]). Queued, an operation is a small
     * closure.
     */
    private void startIfRoom() {
        while (!pending.isEmpty()) {
            int running = starting.get();
            if (running >= MAX_STARTING) {
                return; // a running one takes it (and re-checks as it ends)
            }
            if (starting.compareAndSet(running, running + 1)) {
                Thread.ofVirtual().name("joinery-ws-operation").start(this::startPending);
                return;
            }
        }
    }

    private void startPending() {
        try {
            for (Runnable operation = pending.poll(); operation != null; operation = pending.poll()) {
                operation.run();
            }
        } finally {
            starting.decrementAndGet();
            startIfRoom(); // one queued between the last poll and the decrement
        }
    }

    private void run(String id, GraphqlRequest request, Session current) {
        if (closed || !operations.containsKey(id)) {
            return; // the connection closed, or the client completed it, while it waited its turn
        }
        try {
            GraphqlEngine.Subscription prepared = engine.prepareSubscription(request, current);
            if (prepared == null) {
                String answer = engine.execute(request, current);
                if (operations.remove(id) != null) {
                    next(id, answer);
                    complete(id);
                }
                return;
            }
            if (prepared.compiled().statements().isEmpty()) {
                // a subscription to __typename: answered once, as Hasura does
                next(id, engine.execute(request, current));
                operations.remove(id);
                complete(id);
                return;
            }
            if (operations.size() > config.maxPerConnection()) { // this one included, as every operation from its start
                throw new JoineryException(ErrorCode.VALIDATION_FAILED, "the connection holds its maximum of " + config.maxPerConnection()
                        + " subscriptions", "$", null);
            }
            LiveQueries.Subscriber subscriber = live.add(prepared, request, current, new LiveQueries.Sink() {
                @Override
                public void next(String payload) {
                    SocketConnection.this.next(id, payload);
                }

                @Override
                public void error(JoineryException failure) {
                    if (operations.remove(id) != null) {
                        SocketConnection.this.error(id, failure);
                    }
                }
            });
            if (operations.replace(id, new Operation(subscriber)) == null || closed) {
                subscriber.stop(); // completed by the client, or the connection closed, while it started
            }
        } catch (JoineryException e) {
            if (operations.remove(id) != null) {
                error(id, e);
            }
        } catch (RuntimeException e) {
            if (operations.remove(id) != null) {
                error(id, new JoineryException(ErrorCode.UNEXPECTED, "unexpected error", "$", String.valueOf(e)));
            }
        }
    }

    private void stop(String type, String id) {
        if (legacy != type.equals("stop") || id == null) {
            invalid("Invalid message received");
            return;
        }
        Operation operation = operations.remove(id);
        if (operation != null && operation.subscriber() != null) {
            operation.subscriber().stop();
        }
        if (legacy && operation != null) {
            complete(id);
        }
    }

    private void next(String id, String payload) {
        send("{\"type\":\"" + (legacy ? "data" : "next") + "\",\"id\":" + quote(id) + ",\"payload\":" + payload + "}");
    }

    private void complete(String id) {
        send("{\"type\":\"complete\",\"id\":" + quote(id) + "}");
    }

    /** An operation's failure: {@code error} with the GraphQL errors (an array in graphql-transport-ws, {@code {"errors": …}} in graphql-ws). */
    private void error(String id, JoineryException failure) {
        String errors = ResponseWriter.error(failure, session != null && session.isAdmin());
        String payload = legacy ? errors : errorsArray(errors);
        send("{\"type\":\"error\",\"id\":" + quote(id) + ",\"payload\":" + payload + "}");
    }

    private static String errorsArray(String errors) {
        try {
            return JSON.readTree(errors).path("errors").toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String message) {
        Outbox out = outbox;
        if (out != null && !closed) {
            out.send(message);
        }
    }

    private void close(int code, String reason) {
        if (closed) {
            return;
        }
        end();
        try {
            socket.close(code, reason);
        } catch (RuntimeException e) {
            socket.terminate();
        }
    }

    /** Drops the connection without the closing handshake (a slow client's writer may be stuck). */
    private void terminate(int code, String reason) {
        if (closed) {
            return;
        }
        end();
        socket.terminate();
    }

    /** Ends every subscription of the connection and its timers. */
    private void end() {
        closed = true;
        if (keepAlive != null) {
            keepAlive.cancel(false);
        }
        if (initTimeout != null) {
            initTimeout.cancel(false);
        }
        operations.values().forEach(operation -> {
            if (operation.subscriber() != null) {
                operation.subscriber().stop();
            }
        });
        operations.clear();
        pending.clear();
        Outbox out = outbox;
        if (out != null) {
            out.close();
        }
    }

    @Override
    public void onClose(WsSession ws, int status, String reason) {
        end();
    }

    @Override
    public void onError(WsSession ws, Throwable t) {
        end();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
