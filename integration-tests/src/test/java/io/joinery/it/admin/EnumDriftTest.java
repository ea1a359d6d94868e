package io.joinery.it.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.TestDatabase;
import io.joinery.proxy.cli.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows of an enum table are read with the catalog, at a build and at {@code POST /admin/v1/reload}:
 * a value added to the table is a value of the GraphQL enum after the reload, a value that is not a
 * GraphQL name makes the table a plain one again (reported, its columns {@code String}), and a change
 * (or a {@code validate}, or {@code joinery check}) that marks a table that cannot be an enum table
 * is refused.
 */
class EnumDriftTest {

    static final String METADATA = """
            {"version": 1, "sources": [{"name": "default", "tables": [
              {"table": "article_status", "is_enum": true},
              {"table": "article"}]}]}
            """;
    static final String VALUES = "{ __type(name: \"article_status_enum\") { enumValues { name description } } }";

    static TestDatabase db;
    static StoreSidecar sidecar;

    @BeforeAll
    static void start() {
        db = TestDatabase.create("enum_drift").load("/it/schema-enums.sql");
        sidecar = StoreSidecar.start(db.url());
    }

    @AfterAll
    static void stop() {
        try {
            if (sidecar != null) {
                sidecar.close();
            }
        } finally {
            db.close();
        }
    }

    @BeforeEach
    void freshTablesAndMetadata() {
        db.load("/it/schema-enums.sql");
        long version = sidecar.putDocument(METADATA).expect(200).json().path("resource_version").asLong();
        DriftTest.awaitVersion(sidecar.sidecar(), version);
        sidecar.post("/admin/v1/reload", null).expect(200);
        assertEquals(List.of("ARCHIVED", "DRAFT", "PUBLISHED"), values(), "the enum before the drift");
    }

    @Test
    void aRowAddedToTheEnumTableIsAValueAfterAReload() {
        db.execute("INSERT INTO article_status (value, comment) VALUES ('RETRACTED', 'Withdrawn by its author');"
                + " UPDATE article SET status = 'RETRACTED' WHERE id = 4");
        String byStatus = "{ article(where: {status: {_eq: RETRACTED}}) { id status } }";
        assertEquals("validation-failed", code(sidecar.graphql().query(byStatus)),
                "the enum is read at a reload, not per request (as in Hasura)");

        JsonNode reload = sidecar.post("/admin/v1/reload", null).expect(200).json();

        assertTrue(reload.path("consistent").asBoolean(false), reload.toString());
        assertEquals(List.of("ARCHIVED", "DRAFT", "PUBLISHED", "RETRACTED"), values(), "the enum after the reload");
        assertEquals("Withdrawn by its author", sidecar.graphql().query(VALUES).data().path("__type").path("enumValues").get(3)
                .path("description").asText(), "the new value's description");
        assertEquals("[{\"id\":4,\"status\":\"RETRACTED\"}]", sidecar.graphql().query(byStatus).data().path("article").toString());
    }

    @Test
    void aValueThatIsNotAGraphqlNameMakesItAPlainTableAtTheReload() {
        db.execute("INSERT INTO article_status (value) VALUES ('in review')");

        JsonNode reload = sidecar.post("/admin/v1/reload", null).expect(200).json();

        assertEquals("[{\"object\":\"table article_status\",\"dependency\":\"rows of table article_status\",\"reason\":"
                + "\"the value 'in review' is not a valid GraphQL enum value name ([_A-Za-z][_0-9A-Za-z]*, not true, false or null)\"}]",
                reload.path("inconsistencies").toString(), reload.toString());
        assertEquals(1, sidecar.metric(DriftTest.METRIC), "the gauge counts the table");
        GraphqlResponse asText = sidecar.graphql().query("""
                { article(where: {status: {_eq: "ARCHIVED"}}) { id status }
                  __type(name: "article_status_enum") { name } }""");
        assertEquals("{\"article\":[{\"id\":3,\"status\":\"ARCHIVED\"}],\"__type\":null}", asText.data().toString(),
                "the column is a String again, the table still served: " + asText);
    }

    @Test
    void aChangeThatMarksATableThatCannotBeAnEnumTableIsRefused() {
        db.execute("CREATE TABLE empty_status (value text PRIMARY KEY); CREATE TABLE numbered (id int PRIMARY KEY, label text)");

        JsonNode empty = sidecar.put("/admin/v1/sources/default/tables/empty_status", "{\"is_enum\": true}").expect(400).json();
        JsonNode numbered = sidecar.put("/admin/v1/sources/default/tables/numbered", "{\"is_enum\": true}").expect(400).json();
        JsonNode validated = sidecar.post("/admin/v1/metadata/validate", """
                {"version": 1, "sources": [{"name": "default", "tables": [{"table": "empty_status", "is_enum": true}]}]}
                """).expect(200).json();

        assertEquals("inconsistent-metadata", empty.path("code").asText(), empty.toString());
        assertEquals("[{\"object\":\"table empty_status\",\"dependency\":\"rows of table empty_status\","
                + "\"reason\":\"an enum table needs at least one row; the table has none\"}]", empty.path("problems").toString());
        assertEquals("[{\"object\":\"table numbered\",\"dependency\":\"column numbered.id\","
                + "\"reason\":\"an enum table's primary key must have type text, not int4\"}]", numbered.path("problems").toString());
        assertEquals(false, validated.path("valid").asBoolean(true), validated.toString());
        sidecar.put("/admin/v1/sources/default/tables/empty_status", "{}").expect(201);
    }

    @Test
    void theCheckCommandHoldsEnumTablesToTheSameRules(@TempDir Path dir) throws IOException {
        Path consistent = Files.writeString(dir.resolve("enums.yaml"), """
                version: 1
                sources: [ { name: default, tables: [ { table: article_status, is_enum: true }, { table: article } ] } ]
                """);
        Path inconsistent = Files.writeString(dir.resolve("kinds.yaml"), """
                version: 1
                sources: [ { name: default, tables: [ { table: article_kind, is_enum: true } ] } ]
                """);

        CheckCommandTest.Run ok = new CheckCommandTest.Run(Map.of(), "check", "--metadata", consistent.toString(), "--database-url", db.url());
        CheckCommandTest.Run problems = new CheckCommandTest.Run(Map.of(), "check", "--metadata", inconsistent.toString(),
                "--database-url", db.url());

        assertEquals(Commands.OK, ok.exit(), ok.toString());
        assertEquals(Commands.PROBLEMS, problems.exit(), problems.toString());
        assertTrue(problems.err().lines().anyMatch(line -> line.equals("  - table article_kind: rows of table article_kind: the value"
                + " 'long read' is not a valid GraphQL enum value name ([_A-Za-z][_0-9A-Za-z]*, not true, false or null)")), problems.toString());
    }

    private static List<String> values() {
        List<String> names = new ArrayList<>();
        sidecar.graphql().query(VALUES).data().path("__type").path("enumValues").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    private static String code(GraphqlResponse response) {
        return response.errors().path(0).path("extensions").path("code").asText();
    }
}
