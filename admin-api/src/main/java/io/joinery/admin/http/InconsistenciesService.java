package io.joinery.admin.http;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.ConsistencyChecker;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.check.Served;
import io.joinery.admin.store.StoredMetadata;

/**
 * {@code GET /inconsistencies}: what the served schema leaves out, as the gauge counts it;
 * {@code ?live=true}: what the document's objects fail against the live databases and remote
 * schemas now, which the next reload would leave out (drift shows here first).
 */
final class InconsistenciesService implements HttpService {

    static final RouteTable<InconsistenciesService> ROUTES = new RouteTable<InconsistenciesService>()
            .reply("/inconsistencies", Method.GET, InconsistenciesService::inconsistencies);

    private final Documents documents;
    private final ConsistencyChecker checker;
    private final Serving serving;

    /** @param serving the engine beside the API, or null: then the live check is all there is to report */
    InconsistenciesService(Documents documents, ConsistencyChecker checker, Serving serving) {
        this.documents = documents;
        this.checker = checker;
        this.serving = serving;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }

    Reply inconsistencies(ServerRequest request) {
        StoredMetadata stored = documents.current().get();
        boolean live = request.query().first("live").map(Boolean::parseBoolean).orElse(false);
        if (live || serving == null) {
            Inconsistencies found = checker.check(stored.metadata());
            return Reply.json(Status.OK_200, Bodies.ordered("resource_version", stored.resourceVersion(), "live", true,
                    "consistent", found.isEmpty(), "inconsistencies", found.problems()), documents.etag(stored));
        }
        Served now = serving.served();
        return Reply.json(Status.OK_200, Bodies.ordered("resource_version", now.resourceVersion(), "live", false,
                "consistent", now.inconsistencies().isEmpty(), "inconsistencies", now.inconsistencies().problems()),
                documents.etag(stored));
    }
}
