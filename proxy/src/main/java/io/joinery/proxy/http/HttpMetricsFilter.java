package io.joinery.proxy.http;

import io.helidon.webserver.http.Filter;
import io.joinery.telemetry.HttpServerMetrics;

/** Counts and times every request of a listener, whatever route answers it ({@code joinery.http.server.*}). */
public final class HttpMetricsFilter {

    private HttpMetricsFilter() {
    }

    public static Filter of(HttpServerMetrics metrics) {
        return (chain, request, response) -> {
            long start = System.nanoTime();
            metrics.started();
            try {
                chain.proceed();
            } finally {
                metrics.finished(request.prologue().method().text(), response.status().code(), System.nanoTime() - start);
            }
        };
    }
}
