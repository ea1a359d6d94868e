package io.joinery.proxy;

import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.check.Inconsistencies;
import io.joinery.admin.http.AdminAuth;
import io.joinery.admin.http.AdminService;
import io.joinery.admin.http.Reply;
import io.joinery.admin.http.RouteTable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /admin/v1/reload}, for admins: re-reads the catalogs and remote schemas and rebuilds
 * the schema of the metadata served ({@link Sidecar#reload()}); answers what it left out.
 */
final class ReloadService implements HttpService {

    static final RouteTable<ReloadService> ROUTES = new RouteTable<ReloadService>()
            .reply(AdminService.PATH + "/reload", Method.POST, ReloadService::reload);

    private final EngineStates states;
    private final AdminAuth auth;

    ReloadService(EngineStates states, AdminAuth auth) {
        this.states = states;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this, auth::guard);
    }

    private Reply reload(ServerRequest request) {
        Inconsistencies left = states.reload();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("reloaded", true);
        report.put("resource_version", states.engineVersion());
        report.put("consistent", left.isEmpty());
        report.put("inconsistencies", left.problems());
        return Reply.json(Status.OK_200, MetadataJson.write(report), null);
    }
}
