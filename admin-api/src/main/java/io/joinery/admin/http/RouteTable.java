package io.joinery.admin.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The routes of one service of the admin listener: path (a template, {@code {parameter}} as in the
 * OpenAPI document) → method → handler of a service {@code S}. The same table registers the routes
 * and lists them ({@link #methods}), so a test can hold the listing against the OpenAPI document.
 * Every path answers its other methods with 405 {@code method-not-allowed} and an {@code Allow} header.
 *
 * @param <S> the service whose instance methods handle the routes
 */
public final class RouteTable<S> {

    /** One route's handler, an instance method of the service. */
    @FunctionalInterface
    public interface Action<S> {
        Reply apply(S service, ServerRequest request);
    }

    private final Map<String, Map<Method, Function<S, Handler>>> routes = new LinkedHashMap<>();

    /** A route answered with what {@code action} returns, or in the error shape what it throws ({@link Replies}). */
    public RouteTable<S> reply(String path, Method method, Action<S> action) {
        return handle(path, method, service -> Replies.handler(request -> action.apply(service, request)));
    }

    /** A route whose handler writes its own answer (metrics: not JSON). */
    public RouteTable<S> handle(String path, Method method, Function<S, Handler> handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    /** Registers the routes of {@code service}. */
    public void register(HttpRules rules, S service) {
        register(rules, service, UnaryOperator.identity());
    }

    /**
     * Registers the routes of {@code service}, each handler wrapped in {@code guard} (the admin
     * secret, where no filter before them asks for it); the 405 answers are not guarded.
     */
    public void register(HttpRules rules, S service, UnaryOperator<Handler> guard) {
        routes.forEach((path, handlers) -> {
            handlers.forEach((method, handler) -> rules.route(method, path, guard.apply(handler.apply(service))));
            String allowed = handlers.keySet().stream().map(Method::text).sorted().collect(Collectors.joining(", "));
            rules.any(path, (request, response) -> {
                response.header(HeaderNames.ALLOW, allowed);
                Replies.sendError(response, Status.METHOD_NOT_ALLOWED_405, "method-not-allowed",
                        request.prologue().method().text() + " is not allowed here; use " + allowed);
            });
        });
    }

    /** Every path under {@code prefix} with its methods (upper case, sorted). */
    public Map<String, Set<String>> methods(String prefix) {
        Map<String, Set<String>> methods = new LinkedHashMap<>();
        routes.forEach((path, handlers) -> methods.put(prefix + path,
                handlers.keySet().stream().map(Method::text).collect(Collectors.toCollection(TreeSet::new))));
        return methods;
    }
}
