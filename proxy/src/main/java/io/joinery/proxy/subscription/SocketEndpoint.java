package io.joinery.proxy.subscription;

import io.helidon.websocket.WsListener;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.engine.GraphqlEngine;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * {@code /v1/graphql} as a WebSocket on the GraphQL listener: each connection gets its own
 * {@link SocketConnection}; they share the engine, the session rules of HTTP, the live queries and
 * one timer (keep-alives, the wait for {@code connection_init}).
 */
public final class SocketEndpoint implements AutoCloseable {

    private final GraphqlEngine engine;
    private final SessionResolver sessions;
    private final SubscriptionConfig config;
    private final LiveQueries live;
    private final BooleanSupplier ready;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("joinery-ws-timer").daemon().factory());

    /** {@code ready}: whether the metadata is loaded; before, an upgrade is refused. */
    public SocketEndpoint(GraphqlEngine engine, SessionResolver sessions, SubscriptionConfig config, BooleanSupplier ready) {
        this.engine = engine;
        this.sessions = sessions;
        this.config = config;
        this.ready = ready;
        this.live = new LiveQueries(engine, config);
    }

    /** A listener for a new connection. */
    public WsListener connection() {
        return new SocketConnection(engine, sessions, config, live, timer, ready);
    }

    /** The live queries, for metrics and tests. */
    public LiveQueries live() {
        return live;
    }

    @Override
    public void close() {
        live.close();
        timer.shutdownNow();
    }
}
