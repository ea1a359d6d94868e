package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.it.support.GraphqlClient;
import io.joinery.proxy.Sidecar;
import io.joinery.proxy.config.JoineryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole sidecar ({@link Sidecar#start}) on free ports whose metadata lives in the store (schema
 * {@code joinery} of its database), as in production, unlike {@code TestSidecar}, which serves a
 * read-only file. Several of them on one database make a fleet. It runs with {@link #SECRET} and no
 * unauthorized role unless {@code env} says otherwise; {@link #admin} calls its admin listener over
 * real HTTP with the secret.
 */
final class StoreSidecar implements AutoCloseable {

    static final String SECRET = "admin-it-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Sidecar sidecar;

    private StoreSidecar(Sidecar sidecar) {
        this.sidecar = sidecar;
    }

    static StoreSidecar start(String databaseUrl) {
        return start(databaseUrl, Map.of());
    }

    /** {@code env} adds or overrides variables; a null value removes one (e.g. the admin secret). */
    static StoreSidecar start(String databaseUrl, Map<String, String> env) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("JOINERY_DATABASE_URL", databaseUrl);
        variables.put("JOINERY_ADMIN_SECRET", SECRET);
        env.forEach((name, value) -> {
            if (value == null) {
                variables.remove(name);
            } else {
                variables.put(name, value);
            }
        });
        return new StoreSidecar(Sidecar.start(JoineryConfig.load(variables).withPorts(0, 0), variables));
    }

    Sidecar sidecar() {
        return sidecar;
    }

    /** A GraphQL client that sends the admin secret. */
    GraphqlClient graphql() {
        return new GraphqlClient(URI.create("http://127.0.0.1:" + sidecar.graphqlPort() + "/v1/graphql"),
                Map.of("x-joinery-admin-secret", SECRET));
    }

    Answer get(String path) {
        return admin("GET", path, null, Map.of());
    }

    Answer put(String path, String body) {
        return admin("PUT", path, body, Map.of());
    }

    /**
     * Replaces the whole document as a careful client does: reads its {@code ETag} and sends it back
     * in {@code If-Match} (without it the write is refused with 428).
     */
    Answer putDocument(String document) {
        String etag = get("/admin/v1/metadata").expect(200).etag();
        return admin("PUT", "/admin/v1/metadata", document, Map.of("If-Match", etag));
    }

    Answer post(String path, String body) {
        return admin("POST", path, body, Map.of());
    }

    /** {@code method path} on the admin listener with the secret; {@code headers} add to or (null value) remove from it. */
    Answer admin(String method, String path, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("X-Joinery-Admin-Secret", SECRET);
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        headers.forEach((name, value) -> {
            if (value == null) {
                all.remove(name);
            } else {
                all.put(name, value);
            }
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        all.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(method + " " + path, response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The value of one Prometheus sample without labels, e.g. {@code joinery_metadata_inconsistent_objects}; fails when absent. */
    double metric(String name) {
        Answer metrics = admin("GET", "/metrics", null, Map.of());
        return metrics.text().lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in /metrics:\n" + metrics.text()));
    }

    @Override
    public void close() {
        sidecar.close();
    }

    /** An answer of the admin listener. */
    record Answer(String request, int status, String text, HttpHeaders headers) {

        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError(request + " did not answer JSON: " + status + " " + text, e);
            }
        }

        String code() {
            return json().path("code").asText(null);
        }

        String etag() {
            return headers.firstValue("ETag").orElse(null);
        }

        /** The resource version the {@code ETag} names ({@code "12"}: 12). */
        long etagVersion() {
            String etag = etag();
            if (etag == null) {
                throw new AssertionError(request + " answered no ETag: " + this);
            }
            return Long.parseLong(etag.replace("\"", ""));
        }

        /** Fails with the whole answer unless the status is {@code expected}; returns this for chaining. */
        Answer expect(int expected) {
            if (status != expected) {
                throw new AssertionError(request + ": expected HTTP " + expected + ", got " + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }
}
