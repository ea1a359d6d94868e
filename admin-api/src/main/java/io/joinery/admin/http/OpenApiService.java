package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi}: the OpenAPI 3.1 document (JSON) of the admin listener, the resource
 * {@code openapi.json} beside this class: the admin API's routes and the sidecar's own (reload,
 * health, metrics). Tests hold it against the route tables: a new route needs its entry there; its
 * metadata schemas are those of {@code docs/metadata.schema.json}.
 */
final class OpenApiService implements HttpService {

    static final RouteTable<OpenApiService> ROUTES = new RouteTable<OpenApiService>()
            .reply("/openapi", Method.GET, (service, request) -> reply());

    static final String DOCUMENT = resource("openapi.json");

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    static Reply reply() {
        return Reply.json(Status.OK_200, DOCUMENT, null);
    }

    private static String resource(String name) {
        try (InputStream in = OpenApiService.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the admin-api jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
