package io.joinery.it.telemetry;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.TestDatabase;
import io.joinery.it.support.TestGraphqlServer;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics} as an SRE's dashboard reads it: the series move as queries run — per
 * relationship, target, form and level for joins, a failed join included; remote root calls apart
 * from joins; errors inside partial answers by code; the source's pool; the HTTP listener — and
 * every Joinery series says what it measures. The Grafana dashboard reads only series that exist.
 */
class MetricsTest {

    private static final String PROFILE_JOIN = "form=\"per-key\",level=\"1\",%srelationship=\"profile\",target=\"profiles\"";
    private static final String AUTHOR_JOIN = "form=\"table\",level=\"2\",%srelationship=\"author\",target=\"default/public.author\"";

    /** The Grafana dashboard of the Helm chart (the tests run in the integration-tests module's directory). */
    private static final Path DASHBOARD = Path.of("..", "charts", "joinery", "dashboards", "joinery.json");

    static TestDatabase db;
    static TestGraphqlServer remote;
    static TestGraphqlServer slow;
    /** The handler of the action "greet": it greets "fail" with an HTTP 500. */
    static WireMockServer handler;
    static TestSidecar sidecar;
    static GraphqlClient client;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("metrics").load("/it/schema.sql")
                .execute("CREATE TABLE person AS SELECT g AS id FROM generate_series(1, 10) g; ALTER TABLE person ADD PRIMARY KEY (id);");
        remote = new TestGraphqlServer();
        slow = new TestGraphqlServer();
        handler = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        handler.start();
        handler.stubFor(post(urlEqualTo("/greet")).willReturn(okJson("{\"text\": \"hello\", \"author_id\": 1}")));
        handler.stubFor(post(urlEqualTo("/greet")).withRequestBody(containing("\"fail\"")).willReturn(aResponse().withStatus(500)));
        sidecar = TestSidecar.start(db.url(), "/it/metadata-telemetry.yaml", Map.of(
                "PROFILES_URL", remote.url(), "PROFILES_KEY", "k", "FAULTY_URL", "http://127.0.0.1:9/graphql", "SLOW_URL", slow.url(),
                "GREET_URL", handler.baseUrl() + "/greet"));
        client = sidecar.client();
    }

    @AfterAll
    static void stop() {
        sidecar.close();
        handler.stop();
        slow.close();
        remote.close();
        db.close();
    }

    @Test
    void joinSeriesMovePerRelationshipAndLevel() {
        Scrape before = scrape();
        ok(client.query("{ author(order_by: {id: asc}, limit: 3) { id profile { bio author { id } } } }"));
        Scrape after = scrape();

        assertMoved(before, after, "joinery_join_calls_seconds_count{" + PROFILE_JOIN.formatted("outcome=\"success\",") + "}", 1);
        assertMoved(before, after, "joinery_join_keys_sum{" + PROFILE_JOIN.formatted("") + "}", 3);
        assertMoved(before, after, "joinery_join_keys_count{" + PROFILE_JOIN.formatted("") + "}", 1);
        assertMoved(before, after, "joinery_join_calls_seconds_count{" + AUTHOR_JOIN.formatted("outcome=\"success\",") + "}", 1);
        assertMoved(before, after, "joinery_join_keys_sum{" + AUTHOR_JOIN.formatted("") + "}", 3);
        assertMoved(before, after, "joinery_remote_calls_seconds_count{outcome=\"success\",remote=\"profiles\"}", 0);
        assertMoved(before, after, "joinery_db_query_seconds_count{outcome=\"success\",source=\"default\"}", 2);
        // The server's timer stops once the response is sent, which the client may see first: the scrape waits for it (2 s at most).
        String served = "joinery_http_server_requests_seconds_count{listener=\"graphql\",method=\"POST\",status=\"200\"}";
        Scrape settled = after;
        for (int i = 0; i < 100 && settled.value(served) - before.value(served) < 1; i++) {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            settled = scrape();
        }
        assertMoved(before, settled, served, 1);
        assertEquals(4, after.value("joinery_pool_connections_max{source=\"default\"}"), "the source's pool size");
        assertMoved(before, after, "joinery_pool_wait_seconds_count{source=\"default\"}", 2);
        assertTrue(after.samples().containsKey("joinery_pool_connections_in_use{source=\"default\"}"), after.text());
        assertTrue(after.samples().containsKey("joinery_pool_waiting{source=\"default\"}"), after.text());
    }

    @Test
    void remoteRootCallsAreCountedApartFromJoins() {
        Scrape before = scrape();
        ok(client.query("{ profile(authorId: 1) { bio } }"));
        Scrape after = scrape();

        assertMoved(before, after, "joinery_remote_calls_seconds_count{outcome=\"success\",remote=\"profiles\"}", 1);
        assertMoved(before, after, "joinery_join_calls_seconds_count{" + PROFILE_JOIN.formatted("outcome=\"success\",") + "}", 0);
    }

    @Test
    void actionCallsAreCountedApartFromRemoteCallsAndJoinsByActionAndOutcome() {
        Scrape before = scrape();
        ok(client.query("{ greet(name: \"ann\") { text author { name } } }"));
        var failed = client.query("{ greet(name: \"fail\") { text } }");
        assertEquals(1, failed.errors().size(), failed.toString());
        Scrape after = scrape();

        assertMoved(before, after, "joinery_action_calls_seconds_count{action=\"greet\",outcome=\"success\"}", 1);
        assertMoved(before, after, "joinery_action_calls_seconds_count{action=\"greet\",outcome=\"error\"}", 1);
        assertMoved(before, after, "joinery_request_errors_total{code=\"action-error\"}", 1);
        assertMoved(before, after, "joinery_remote_calls_seconds_count{outcome=\"success\",remote=\"profiles\"}", 0);
        assertMoved(before, after, "joinery_join_calls_seconds_count{form=\"table\",level=\"1\",outcome=\"success\",relationship=\"author\","
                + "target=\"default/public.author\"}", 1);
    }

    @Test
    void aFailedJoinCountsAsAnErrorOfItsRelationshipAndEachErrorOfThePartialAnswerByCode() {
        Scrape before = scrape();
        var answer = client.query("{ author(order_by: {id: asc}, limit: 2) { id profile { broken } } }");
        assertEquals(200, answer.status());
        int errors = answer.errors().size();
        assertTrue(errors > 0 && !answer.data().path("author").isMissingNode(), "a partial answer: " + answer);
        Scrape after = scrape();

        assertMoved(before, after, "joinery_join_calls_seconds_count{" + PROFILE_JOIN.formatted("outcome=\"error\",") + "}", 1);
        assertMoved(before, after, "joinery_request_errors_total{code=\"remote-schema-error\"}", errors);
        assertMoved(before, after, "joinery_requests_seconds_count{operation=\"query\",outcome=\"error\",role=\"admin\"}", 1);
    }

    @Test
    void aJoinWhoseRemoteDoesNotAnswerInTimeCountsAsATimeout() {
        Scrape before = scrape();
        slow.delay(Duration.ofMillis(1500));
        try {
            var answer = client.query("{ author(order_by: {id: asc}, limit: 2) { id slowProfile { bio } } }");
            assertEquals("remote-schema-error", answer.errors().get(0).path("extensions").path("code").asText(), answer.toString());
        } finally {
            slow.delay(Duration.ZERO);
        }
        Scrape after = scrape();

        assertMoved(before, after, "joinery_join_calls_seconds_count{form=\"per-key\",level=\"1\",outcome=\"timeout\","
                + "relationship=\"slowProfile\",target=\"slow\"}", 1);
        assertMoved(before, after, "joinery_request_errors_total{code=\"remote-schema-error\"}", 1);
    }

    @Test
    void everyJoinerySeriesHasHelpText() {
        ok(client.query("{ author(order_by: {id: asc}, limit: 1) { id profile { bio } } }"));
        String text = scrape().text();
        Matcher types = Pattern.compile("(?m)^# TYPE (joinery_\\S+) ").matcher(text);
        List<String> withoutHelp = new ArrayList<>();
        int families = 0;
        while (types.find()) {
            families++;
            String family = types.group(1);
            if (!Pattern.compile("(?m)^# HELP " + Pattern.quote(family) + " \\S").matcher(text).find()) {
                withoutHelp.add(family);
            }
        }
        assertTrue(families >= 15, "Joinery's series are there: " + families);
        assertEquals(List.of(), withoutHelp, "series without HELP text");
    }

    @Test
    void everyQueryOfTheGrafanaDashboardReadsSeriesJoineryExports() throws Exception {
        ok(client.query("{ author(order_by: {id: asc}, limit: 2) { id profile { bio author { id } } } }"));
        ok(client.query("{ profile(authorId: 1) { bio } }"));
        ok(client.query("{ greet(name: \"bob\") { text } }"));
        client.query("{ greet(name: \"fail\") { text } }");
        Scrape scrape = scrape();
        String text = Files.readString(DASHBOARD);
        List<String> expressions = new ObjectMapper().readTree(text).findValuesAsText("expr");
        assertTrue(expressions.size() >= 15, "the dashboard's queries: " + expressions);
        Pattern series = Pattern.compile("\\bjoinery_[a-z0-9_]+");
        Pattern grouping = Pattern.compile("by \\(([^)]*)\\)");
        List<String> problems = new ArrayList<>();
        for (String expression : expressions) {
            List<String> names = series.matcher(expression).results().map(MatchResult::group).toList();
            if (names.isEmpty()) {
                problems.add("reads no Joinery series: " + expression);
            }
            for (String name : names) {
                if (scrape.samples().keySet().stream().noneMatch(key -> key.equals(name) || key.startsWith(name + "{"))) {
                    problems.add(name + " is not exported (" + expression + ")");
                }
            }
            for (MatchResult by : grouping.matcher(expression).results().toList()) {
                for (String label : by.group(1).split(",")) {
                    String wanted = label.strip() + "=\"";
                    if (!label.isBlank() && !label.strip().equals("le") && scrape.samples().keySet().stream()
                            .noneMatch(key -> names.stream().anyMatch(key::startsWith) && key.contains(wanted))) {
                        problems.add("no series of " + names + " has the label " + label.strip());
                    }
                }
            }
        }
        series.matcher(text).results().map(MatchResult::group).distinct()
                .filter(name -> scrape.samples().keySet().stream().noneMatch(key -> key.startsWith(name)))
                .forEach(name -> problems.add(name + " (templating) is not exported"));
        assertEquals(List.of(), problems, DASHBOARD + " against /metrics");
    }

    private static Scrape scrape() {
        return Scrape.of(sidecar.adminUri("/metrics"));
    }

    private static void assertMoved(Scrape before, Scrape after, String series, double by) {
        assertEquals(by, after.value(series) - before.value(series), 1e-9, series + " in\n" + grep(after, series));
    }

    /** The samples of the series' metric, for the failure message. */
    private static String grep(Scrape scrape, String series) {
        String name = series.substring(0, series.indexOf('{') < 0 ? series.length() : series.indexOf('{'));
        StringBuilder out = new StringBuilder();
        scrape.samples().forEach((key, value) -> {
            if (key.startsWith(name)) {
                out.append(key).append(' ').append(value).append('\n');
            }
        });
        return out.toString();
    }

    private static void ok(GraphqlClient.GraphqlResponse response) {
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.errors().isMissingNode() || response.errors().isEmpty(), response.toString());
    }
}
