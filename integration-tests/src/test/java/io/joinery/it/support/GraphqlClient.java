package io.joinery.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts GraphQL requests to a sidecar over real HTTP ({@link HttpClient}) and parses the answers with
 * Jackson. Every request carries the client's headers; {@link #withHeaders} makes a client with more
 * (or, with a null value, fewer):
 *
 * <pre>{@code
 * GraphqlResponse answer = sidecar.client().withHeaders(Map.of("x-joinery-role", "user")).query("{ author { id } }");
 * }</pre>
 */
public final class GraphqlClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI endpoint;
    private final Map<String, String> headers;

    public GraphqlClient(URI endpoint, Map<String, String> headers) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
    }

    /** This client with {@code more} headers; a null value removes a header. */
    public GraphqlClient withHeaders(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        more.forEach((name, value) -> {
            if (value == null) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        return new GraphqlClient(endpoint, merged);
    }

    /** This client without one of its headers, e.g. the admin secret. */
    public GraphqlClient without(String header) {
        Map<String, String> fewer = new LinkedHashMap<>(headers);
        fewer.remove(header);
        return new GraphqlClient(endpoint, fewer);
    }

    public GraphqlResponse query(String query) {
        return query(query, Map.of());
    }

    public GraphqlResponse query(String query, Map<String, ?> variables) {
        ObjectNode body = JsonTrees.JSON.createObjectNode().put("query", query);
        body.set("variables", JsonTrees.JSON.valueToTree(variables));
        return post(body);
    }

    /** Posts a JSON body as it is: one operation, a batch (an array), or anything else. */
    public GraphqlResponse post(JsonNode body) {
        return postText(JsonTrees.write(body));
    }

    /** Posts text as it is, even when it is not JSON. */
    public GraphqlResponse postText(String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new GraphqlResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to " + endpoint, e);
        }
    }

    /** An HTTP answer: its status and body, parsed when it is JSON. */
    public record GraphqlResponse(int status, String text) {

        /** The body as a JSON tree; fails the test when it is not JSON. */
        public JsonNode json() {
            return JsonTrees.parse(text);
        }

        public JsonNode data() {
            return json().path("data");
        }

        public JsonNode errors() {
            return json().path("errors");
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
