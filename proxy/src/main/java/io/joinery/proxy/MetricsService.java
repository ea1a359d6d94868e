package io.joinery.proxy;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.joinery.admin.http.RouteTable;
import io.joinery.telemetry.Telemetry;

/** {@code GET /metrics}: the Prometheus scrape, open to every caller of the admin listener. */
final class MetricsService implements HttpService {

    static final RouteTable<MetricsService> ROUTES = new RouteTable<MetricsService>()
            .handle("/metrics", Method.GET, service -> (request, response) -> {
                response.header(HeaderNames.CONTENT_TYPE, Telemetry.SCRAPE_CONTENT_TYPE);
                response.send(service.telemetry.scrape());
            });

    private final Telemetry telemetry;

    MetricsService(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void routing(HttpRules rules) {
        ROUTES.register(rules, this);
    }
}
