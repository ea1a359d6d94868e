package io.joinery.admin.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /console}: the console of the admin listener, one page in the browser: GraphiQL over
 * the whole graph, GraphQL Voyager drawing it (tables, remote types, actions' outputs and the
 * relationships between them), and Swagger UI over the admin API's OpenAPI document ({@code /admin/v1/openapi}).
 * The user types the admin secret and a role into the page; its scripts send them as headers and
 * keep them nowhere else (Note [Console secret]). The page's GraphiQL posts to
 * {@value #GRAPHQL_PATH}: the sidecar's GraphQL endpoint, mounted on this listener behind the admin
 * secret, so the page needs no cross-origin call to the GraphQL listener (on loopback by default).
 *
 * <p>Note [Console assets]: every script and style comes from the jar, none from a CDN: the page and
 * its own script under {@code /console/static/} (resources {@code io/joinery/admin/console/}), and
 * GraphiQL, React and Swagger UI as webjars under {@code /console/assets/} (their browser bundles,
 * {@code META-INF/resources/webjars/<name>/<version>/}). GraphQL Voyager has no webjar: the build
 * takes its standalone bundle from its npm package, checksum-verified, and puts it where a webjar's
 * would be ({@code graphql-voyager/<version>/dist/}; admin-api's pom). The page names the webjar versions the root
 * pom names; the page's Content-Security-Policy allows scripts from this origin only, so a stray CDN
 * link fails in the browser as it would on a closed network, and the Chromium test sees it.
 */
public final class ConsoleService implements HttpService {

    /** The console's page. */
    public static final String PATH = "/console";
    /** The GraphQL endpoint of the console, the admin secret required. */
    public static final String GRAPHQL_PATH = PATH + "/v1/graphql";

    // Note [Console secret]
    // ~~~~~~~~~~~~~~~~~~~~~
    // The page is the same for everybody and holds no secret: the admin secret exists only in the
    // password field the user types it into and in the headers the page's fetches send (GraphiQL's
    // and Swagger UI's); it is not put in the URL, in storage or in a cookie (GraphiQL's own header
    // editor, which persists headers, is off; Swagger UI's curl line shows the request without them,
    // and its requests go to this origin whatever the document's servers). no-referrer and no-store
    // keep the page out of other sites' logs and of caches; frame-ancestors 'none' keeps it out of
    // others' frames.
    // GraphQL Voyager lays its graph out in a worker it makes from a blob, running Graphviz compiled
    // to WebAssembly: worker-src blob: and 'wasm-unsafe-eval' (which allows WebAssembly, not eval).
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
            + "worker-src blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    static final RouteTable<ConsoleService> ROUTES = new RouteTable<ConsoleService>()
            .handle(PATH, Method.GET, service -> service::page);

    private static final byte[] PAGE = resource("index.html");

    private final AdminAuth auth;
    private final HttpService graphql;

    /**
     * @param adminSecret the secret the console's GraphQL endpoint asks for (as the admin API does)
     * @param graphql     the sidecar's GraphQL endpoint, mounted at {@link #GRAPHQL_PATH}
     */
    public ConsoleService(Optional<String> adminSecret, HttpService graphql) {
        this.auth = new AdminAuth(adminSecret);
        this.graphql = graphql;
    }

    /**
     * The console's page with its methods, as the OpenAPI document lists it. Its assets and its
     * GraphQL endpoint are not listed: files, and GraphQL (described by its own introspection).
     */
    public static Map<String, Set<String>> routes() {
        return ROUTES.methods("");
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
        rules.register(PATH + "/static", classpath("io/joinery/admin/console"));
        rules.register(PATH + "/assets", classpath("META-INF/resources/webjars"));
        rules.register(GRAPHQL_PATH, api -> {
            api.any(auth::filter);
            graphql.routing(api);
        });
    }

    private void page(ServerRequest request, ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY);
        response.header(HeaderNames.create("Referrer-Policy"), "no-referrer");
        response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        response.send(PAGE);
    }

    private static HttpService classpath(String location) {
        return StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(location)
                .classLoader(ConsoleService.class.getClassLoader())
                .build());
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleService.class.getResourceAsStream("/io/joinery/admin/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the admin-api jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
