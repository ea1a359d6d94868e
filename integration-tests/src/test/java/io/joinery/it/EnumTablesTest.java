package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.EndToEndCase;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.StatementRecorder;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.it.support.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enum tables ({@code is_enum: true}): every case under {@code cases/enums}, against
 * {@code it/metadata-enums.yaml} over {@code it/schema-enums.sql}, with the sidecar talking to
 * Postgres through a {@link StatementRecorder}, so that the enum values can be seen to stay bind
 * parameters of one statement and of one cached plan.
 */
class EnumTablesTest {

    private static final String BY_STATUS = """
            query ($status: article_status_enum!) { article(where: {status: {_eq: $status}}, order_by: {id: asc}) { id } }""";

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("enums", "/it/schema-enums.sql", "/it/metadata-enums.yaml").recorded();

    static Stream<EndToEndCase> cases() {
        return EndToEndCase.load("enums");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsExpected(EndToEndCase testCase) {
        testCase.run(served);
    }

    @Test
    void anotherValueOfAnEnumVariableReusesThePlanAndThePreparedStatement() {
        served.client().query(BY_STATUS, Map.of("status", "DRAFT"));
        double hits = planCacheHits();
        int parses = served.recorder().parses();
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().query(BY_STATUS, Map.of("status", "ARCHIVED")).json();

        JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"article\": [{\"id\": 3}]}}"), answer, "the answer for ARCHIVED");
        assertEquals(hits + 1, planCacheHits(), "the plan compiled for DRAFT serves ARCHIVED");
        assertEquals(parses, served.recorder().parses(), "statements parsed by Postgres for the second value");
        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "statements: " + statements);
        assertFalse(statements.getFirst().contains("ARCHIVED") || statements.getFirst().contains("DRAFT"),
                "the value is a bind parameter, not SQL text: " + statements.getFirst());
    }

    @Test
    void enumLiteralsAreBindParametersOfTheOneStatement() {
        int before = served.recorder().executed().size();

        JsonNode answer = served.client().query("""
                { article(where: {_or: [{status: {_in: [DRAFT, ARCHIVED]}}, {previous_status: {_eq: PUBLISHED}}]}, order_by: {id: asc}) {
                    id status_info { comment } }
                  status_note_by_pk(status: DRAFT) { note } }""").json();

        List<String> statements = served.recorder().executedSince(before);
        assertEquals(1, statements.size(), "statements for two root fields with enum values: " + statements);
        assertTrue(statements.getFirst().contains("$1"), statements.getFirst());
        assertFalse(statements.getFirst().matches("(?s).*'(DRAFT|ARCHIVED|PUBLISHED)'.*"), "no value in the SQL text: " + statements.getFirst());
        assertEquals(List.of(2, 3, 5), items(answer.path("data").path("article")).stream().map(a -> a.path("id").asInt()).toList(),
                answer.toString());
        assertEquals("edit freely", answer.path("data").path("status_note_by_pk").path("note").asText(), answer.toString());
    }

    @Test
    void aTableThatIsNotAnEnumTableIsReportedAndServedAsAPlainTable() throws Exception {
        JsonNode listed = JsonTrees.parse(admin("/admin/v1/inconsistencies"));

        assertEquals(List.of("{\"object\":\"table article_kind\",\"dependency\":\"rows of table article_kind\",\"reason\":"
                        + "\"the value 'long read' is not a valid GraphQL enum value name ([_A-Za-z][_0-9A-Za-z]*, not true, false or null)\"}"),
                items(listed.path("inconsistencies")).stream().map(JsonNode::toString).toList(), listed.toString());
        JsonNode kinds = served.client().query("{ article_kind(order_by: {value: asc}) { value } }").json();
        JsonTrees.assertJsonEquals(JsonTrees.parse("{\"data\": {\"article_kind\": [{\"value\": \"long read\"}, {\"value\": \"news\"}]}}"),
                kinds, "the table is served");
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new java.util.ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private static double planCacheHits() {
        try {
            return admin("/metrics").lines()
                    .filter(line -> line.startsWith("joinery_plan_cache_total{") && line.contains("result=\"hit\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String admin(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(served.sidecar().adminUri(path))
                .header("X-Joinery-Admin-Secret", TestSidecar.ADMIN_SECRET).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }
}
