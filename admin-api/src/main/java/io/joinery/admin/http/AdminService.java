package io.joinery.admin.http;

import io.helidon.http.HeaderName;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.joinery.admin.check.Catalogs;
import io.joinery.admin.check.ConsistencyCheck;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.store.MetadataStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The admin REST API under {@code /admin/v1}: the whole metadata document ({@code ETag} /
 * {@code If-Match}), its sources, tables, relationships, computed fields, permissions, tracked
 * functions, remote schemas, remote relationships, actions and custom types as resources, a dry-run validation, the current
 * inconsistencies, a Hasura import and its own OpenAPI document ({@code GET /admin/v1/openapi}; see
 * {@link OpenApiService}). Register it on the admin listener's routing as is
 * ({@code routing.register(adminService)}); it owns its path prefix, asks every route for the admin
 * secret ({@link AdminAuth}) and answers an unknown path with 404 {@code not-found}.
 *
 * <p>Each resource is a service of its own; what they share is here: every write goes through one
 * {@link MetadataWriter} (read–modify–write on the store, the consistency gate, {@code If-Match} and
 * retries on a moved version, then Note [Read your writes]), and every answer and error through
 * {@link Replies}. A whole-document write ({@code PUT /metadata}) needs {@code If-Match} with a
 * version (else 428); the Hasura import is the one exception: it is the migration in one call that
 * Hasura users and their scripts make as they would {@code replace_metadata}, so without
 * {@code If-Match} it replaces whatever is stored (and with it, only the version it names). The
 * checks are {@link ConsistencyChecker#of}'s: the built-in ones and the engine's. Errors are JSON
 * {@code {"code", "message", ...}} with stable codes.
 */
public final class AdminService implements HttpService {

    /** The path prefix of every route. */
    public static final String PATH = "/admin/v1";
    /** The header carrying the admin secret. */
    public static final HeaderName SECRET_HEADER = AdminAuth.SECRET_HEADER;

    /** The route tables, in the order they are registered. */
    private static final List<RouteTable<?>> TABLES = List.of(DocumentService.ROUTES, InconsistenciesService.ROUTES,
            OpenApiService.ROUTES, SourceService.ROUTES, FunctionService.ROUTES, TableService.ROUTES, RelationshipService.ROUTES,
            ComputedFieldService.ROUTES, PermissionService.ROUTES, RemoteRelationshipService.ROUTES, RemoteSchemaService.ROUTES,
            TypeRelationshipService.ROUTES, ActionService.ROUTES, CustomTypeService.ROUTES, AllowlistService.ROUTES);

    private final AdminAuth auth;
    private final List<HttpService> services;

    /**
     * @param store        where the document lives
     * @param catalogs     the live catalog of each source, read when a change is checked
     * @param extraChecks  the engine's own consistency checks (remote schemas answer introspection,
     *                     remote relationships resolve, ...), run after the built-in ones
     * @param adminSecret  the secret every request must present; empty: no authentication (loopback only)
     * @param serving      the engine that serves what is written; each write waits for it
     * @param serveTimeout how long a write waits for {@code serving} before answering 202 {@code not-yet-served}
     */
    public AdminService(MetadataStore store, Catalogs catalogs, List<ConsistencyCheck> extraChecks, Optional<String> adminSecret,
                        Serving serving, Duration serveTimeout) {
        ConsistencyChecker checker = ConsistencyChecker.of(catalogs, extraChecks);
        MetadataWriter writer = new MetadataWriter(store, checker, serving, serveTimeout);
        Documents documents = Documents.of(store);
        this.auth = new AdminAuth(adminSecret);
        this.services = List.of(new DocumentService(documents, writer, catalogs, checker),
                new InconsistenciesService(documents, checker, serving), new OpenApiService(), new SourceService(writer),
                new FunctionService(writer), new TableService(writer), new RelationshipService(writer), new ComputedFieldService(writer),
                new PermissionService(writer), new RemoteRelationshipService(writer), new RemoteSchemaService(writer),
                new TypeRelationshipService(writer), new ActionService(writer), new CustomTypeService(writer),
                new AllowlistService(writer));
    }

    /**
     * An admin API with no engine beside it (tools, tests): what it "serves" is the stored document
     * as it checks against the live databases now.
     */
    public AdminService(MetadataStore store, Catalogs catalogs, List<ConsistencyCheck> extraChecks, Optional<String> adminSecret) {
        this(store, catalogs, extraChecks, adminSecret, null, Duration.ZERO);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.register(PATH, api -> {
            api.any(auth::filter);
            services.forEach(service -> service.routing(api));
            api.any(Replies.handler(request -> {
                throw AdminError.notFound("no admin route " + request.path().absolute().path());
            }));
        });
    }

    /**
     * Every route of this service: its path under {@link #PATH}, with {@code {parameter}} templates
     * as in the OpenAPI document, and its methods. The same tables register the routes, so a test can
     * hold them against {@link #openapi()}.
     */
    public static Map<String, Set<String>> routes() {
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        TABLES.forEach(table -> routes.putAll(table.methods(PATH)));
        return routes;
    }

    /** The OpenAPI 3.1 document (JSON) of the admin listener: these routes and the sidecar's own (reload, health, metrics). */
    public static String openapi() {
        return OpenApiService.DOCUMENT;
    }
}
