package io.joinery.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {
    private static final long TWO_MS = Duration.ofMillis(2).toNanos();

    private final Telemetry telemetry = Telemetry.forTests(new InMemorySpanExporter());
    private final EngineObserver observer = telemetry.observer();

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void scrapeShowsRequestStagesWithBoundedTags() {
        try (RequestObservation request = observer.begin(null, "GetAuthors", "user")) {
            request.parsed("query", "GetAuthors", false);
            request.planned(true);
            request.sqlExecuted("default", TWO_MS, true);
            request.joinCall(new JoinTags("profile", "countries", "list-argument", 1), 3, TWO_MS, CallOutcome.SUCCESS);
            request.joinCall(new JoinTags("profile", "countries", "list-argument", 1), 2, TWO_MS, CallOutcome.TIMEOUT);
            request.remoteCalled("countries", TWO_MS, false);
            request.actionCalled("send_email", TWO_MS, true);
        }

        String scrape = telemetry.scrape();
        assertMetric(scrape, "joinery_requests_seconds_count{operation=\"query\",outcome=\"success\",role=\"user\"}", 1);
        assertMetric(scrape, "joinery_parse_cache_total{result=\"miss\"}", 1);
        assertMetric(scrape, "joinery_parse_cache_total{result=\"hit\"}", 0);
        assertMetric(scrape, "joinery_plan_cache_total{result=\"hit\"}", 1);
        assertMetric(scrape, "joinery_db_query_seconds_count{outcome=\"success\",source=\"default\"}", 1);
        assertMetric(scrape, "joinery_db_query_seconds_sum{outcome=\"success\",source=\"default\"}", 0.002);
        assertMetric(scrape, "joinery_remote_calls_seconds_count{outcome=\"error\",remote=\"countries\"}", 1);
        assertMetric(scrape, "joinery_join_keys_sum{form=\"list-argument\",level=\"1\",relationship=\"profile\",target=\"countries\"}", 5);
        assertMetric(scrape, "joinery_join_calls_seconds_count{form=\"list-argument\",level=\"1\",outcome=\"success\",relationship=\"profile\",target=\"countries\"}", 1);
        assertMetric(scrape, "joinery_join_calls_seconds_count{form=\"list-argument\",level=\"1\",outcome=\"timeout\",relationship=\"profile\",target=\"countries\"}", 1);
        assertFalse(scrape.contains("joinery_remote_calls_seconds_count{outcome=\"success\""), "join calls are not remote root calls");
        assertMetric(scrape, "joinery_action_calls_seconds_count{action=\"send_email\",outcome=\"success\"}", 1);
        assertFalse(scrape.contains("GetAuthors"), "the operation name is unbounded and must not become a tag:\n" + scrape);
    }

    @Test
    void theSidecarsOwnWorkCountsItsCallsButNoRequest() {
        try (RequestObservation background = observer.background("action.async", "user")) {
            background.actionCalled("send_email", TWO_MS, true);
        }

        String scrape = telemetry.scrape();
        assertMetric(scrape, "joinery_action_calls_seconds_count{action=\"send_email\",outcome=\"success\"}", 1);
        assertFalse(scrape.contains("joinery_requests_seconds_count{"), "no request was counted:\n" + scrape);
    }

    @Test
    void errorsAreCountedByCodeAndMakeTheRequestAnError() {
        try (RequestObservation request = observer.begin("mutation", null, "editor")) {
            request.error("permission-error", "denied");
            request.error("permission-error", "denied");
        }

        String scrape = telemetry.scrape();
        assertMetric(scrape, "joinery_request_errors_total{code=\"permission-error\"}", 2);
        assertMetric(scrape, "joinery_requests_seconds_count{operation=\"mutation\",outcome=\"error\",role=\"editor\"}", 1);
    }

    @Test
    void requestThatNeverParsedIsTaggedUnknownAndEndsOnce() {
        RequestObservation request = observer.begin(null, null, null);
        request.error("validation-failed", "bad");
        request.end();
        request.end();

        assertMetric(telemetry.scrape(),
            "joinery_requests_seconds_count{operation=\"unknown\",outcome=\"error\",role=\"unknown\"}", 1);
    }

    @Test
    void requestTimerHasLatencyBuckets() {
        observer.begin("query", null, "user").end();

        assertMetric(telemetry.scrape(),
            "joinery_requests_seconds_bucket{operation=\"query\",outcome=\"success\",role=\"user\",le=\"+Inf\"}", 1);
    }

    @Test
    void gaugeIsReadAtEachScrape() {
        AtomicInteger inconsistent = new AtomicInteger(2);
        telemetry.gauge("joinery.metadata.inconsistent", "objects left out", inconsistent::get);
        assertMetric(telemetry.scrape(), "joinery_metadata_inconsistent", 2);
        assertTrue(telemetry.scrape().contains("# HELP joinery_metadata_inconsistent objects left out"), telemetry.scrape());

        inconsistent.set(0);
        assertMetric(telemetry.scrape(), "joinery_metadata_inconsistent", 0);
    }

    @Test
    void noopObserverRunsWork() {
        try (RequestObservation request = EngineObserver.NOOP.begin("query", "GetAuthors", "user")) {
            assertEquals(42, request.inSpan(SpanNames.DB_QUERY, Map.of(), () -> 42));
            assertEquals(43, request.inSpan(request.parent(), SpanNames.DB_QUERY, Map.of(), () -> 43));
            assertNotNull(request.startCall(request.parent(), SpanNames.HTTP_POST, Map.of()), "a call that nothing observes");
            assertNotNull(ClientCall.NONE, "initialized after the no-op observer, the constant is not null");
        }
    }

    /** Finds the sample line {@code series value} and compares the value. */
    static void assertMetric(String scrape, String series, double expected) {
        String line = scrape.lines()
            .filter(l -> l.startsWith(series + " "))
            .findFirst()
            .orElse(null);
        assertTrue(line != null, () -> "no sample " + series + " in scrape:\n" + scrape);
        double actual = Double.parseDouble(line.substring(series.length() + 1).strip().split(" ")[0]);
        assertEquals(expected, actual, 1e-9, () -> "value of " + series);
    }
}
