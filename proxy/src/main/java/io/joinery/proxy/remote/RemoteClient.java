package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts GraphQL requests to one remote over pooled keep-alive connections (Helidon WebClient).
 * The whole call — connect, send, read — is bounded by the remote's timeout: no caller waits
 * past it.
 */
public final class RemoteClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final URI url;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final WebClient client;
    private final java.util.concurrent.ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    public RemoteClient(String name, URI url, Map<String, String> headers, Duration timeout) {
        this.name = name;
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.client = WebClient.builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .followRedirects(false)
                .build();
    }

    public String name() {
        return name;
    }

    /**
     * Sends {@code {"query", "variables"}} and returns the parsed response object (with
     * {@code data} and/or {@code errors}).
     *
     * @param extraHeaders headers forwarded from the client, if the remote asks for them
     */
    public JsonNode post(String query, Map<String, Object> variables, Map<String, String> extraHeaders) {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        body.set("variables", JSON.valueToTree(variables));
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RemoteFailure("remote schema '" + name + "': cannot encode the request", e);
        }
        Future<JsonNode> call = calls.submit(() -> send(payload, extraHeaders));
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RemoteFailure("remote schema '" + name + "' did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RemoteFailure failure ? failure
                    : new RemoteFailure("remote schema '" + name + "' is unreachable: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteFailure("remote schema '" + name + "': interrupted");
        }
    }

    private JsonNode send(byte[] payload, Map<String, String> extraHeaders) {
        var request = client.post(url.toString())
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, "application/json");
        extraHeaders.forEach((k, v) -> request.header(HeaderNames.create(k), v));
        headers.forEach((k, v) -> request.header(HeaderNames.create(k), v));
        try (HttpClientResponse response = request.submit(payload)) {
            int status = response.status().code();
            byte[] bytes = response.entity().as(byte[].class);
            JsonNode parsed;
            try {
                parsed = JSON.readTree(bytes);
            } catch (java.io.IOException e) {
                throw new RemoteFailure("remote schema '" + name + "' answered HTTP " + status + " with a body that is not JSON");
            }
            if (parsed == null || !parsed.isObject() || (!parsed.has("data") && !parsed.has("errors"))) {
                throw new RemoteFailure("remote schema '" + name + "' answered HTTP " + status + " without GraphQL data or errors");
            }
            if (status >= 300 && !parsed.has("data")) {
                throw new RemoteFailure("remote schema '" + name + "' answered HTTP " + status + ": " + firstError(parsed));
            }
            return parsed;
        }
    }

    static String firstError(JsonNode response) {
        JsonNode errors = response.path("errors");
        return errors.isArray() && !errors.isEmpty() ? errors.get(0).path("message").asText("error") : "error";
    }

    @Override
    public void close() {
        calls.shutdownNow();
        client.closeResource();
    }
}
