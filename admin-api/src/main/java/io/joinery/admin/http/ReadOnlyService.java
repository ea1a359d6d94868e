package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.store.StoredMetadata;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin API of a sidecar whose metadata is a file ({@code JOINERY_METADATA}): the document it
 * serves (JSON, no {@code ETag}), its inconsistencies and the OpenAPI document, through the same
 * routes as the full API; a write of the document is 409 {@code read-only}. Each route asks for the
 * admin secret itself (a 405 or an unknown path does not); it owns its path prefix.
 */
public final class ReadOnlyService implements HttpService {

    private static final RouteTable<ReadOnlyService> ROUTES = new RouteTable<ReadOnlyService>()
            .reply("/metadata", Method.GET, (service, request) -> DocumentService.document(request, service.documents))
            .reply("/metadata", Method.PUT, (service, request) -> {
                throw new AdminError(Status.CONFLICT_409, "read-only",
                        "metadata comes from JOINERY_METADATA and cannot be changed through the admin API");
            })
            .reply("/inconsistencies", Method.GET, (service, request) -> service.inconsistencies.inconsistencies(request))
            .reply("/openapi", Method.GET, (service, request) -> OpenApiService.reply());

    private final Documents documents;
    private final InconsistenciesService inconsistencies;
    private final AdminAuth auth;

    /**
     * @param served      the document the engine serves, at its version
     * @param checker     the checks of {@code ?live=true}
     * @param serving     what the engine serves and leaves out
     * @param adminSecret the secret every route asks for; empty: none
     */
    public ReadOnlyService(Supplier<StoredMetadata> served, ConsistencyChecker checker, Serving serving, Optional<String> adminSecret) {
        this.documents = Documents.served(served);
        this.inconsistencies = new InconsistenciesService(documents, checker, serving);
        this.auth = new AdminAuth(adminSecret);
    }

    /** Every route with its methods, as {@link AdminService#routes()} lists the full API's. */
    public static Map<String, Set<String>> routes() {
        return ROUTES.methods(AdminService.PATH);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.register(AdminService.PATH, sub -> ROUTES.register(sub, this, auth::guard));
    }
}
