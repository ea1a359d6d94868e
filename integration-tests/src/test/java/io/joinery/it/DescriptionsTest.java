package io.joinery.it;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The descriptions of tables' types and of their column and computed fields, as Hasura gives them: the
 * database's comments, the metadata's comments over them (an empty one: no description), and Hasura's
 * defaults where neither says anything.
 */
class DescriptionsTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("descriptions", "/it/schema-descriptions.sql", "/it/metadata-descriptions.yaml");

    @Test
    void theDatabasesCommentsDescribeTheTypeItsColumnsAndItsComputedFields() {
        assertDescribed("commented", """
                {"description": "A table the database describes", "fields": [
                  {"name": "id", "description": null},
                  {"name": "name", "description": "The name, says the database"},
                  {"name": "note", "description": null},
                  {"name": "upper", "description": "The name in capitals, says the database"}]}""");
    }

    @Test
    void withoutCommentsHasurasDefaults() {
        assertDescribed("plain", """
                {"description": "columns and relationships of \\"plain\\"", "fields": [
                  {"name": "id", "description": null},
                  {"name": "name", "description": null},
                  {"name": "upper", "description": "A computed field, executes function \\"plain_upper\\""}]}""");
    }

    @Test
    void theMetadatasCommentsWinAndAnEmptyOneMeansNone() {
        assertDescribed("described", """
                {"description": "The metadata's own words", "fields": [
                  {"name": "id", "description": null},
                  {"name": "name", "description": "The name, says the metadata"},
                  {"name": "upper", "description": null}]}""");
    }

    @Test
    void rootFieldsTakeTheMetadatasCommentsOverHasurasDefaults() {
        GraphqlResponse response = served.sidecar().client().query("""
                { query_root: __type(name: "query_root") { fields { name description } }
                  mutation_root: __type(name: "mutation_root") { fields { name description } } }""");
        assertTrue(response.errors().isMissingNode(), response.toString());
        Map<String, String> described = new TreeMap<>();
        for (String root : List.of("query_root", "mutation_root")) {
            response.data().path(root).path("fields").forEach(field -> {
                if (field.path("name").asText().contains("described")) {
                    described.put(field.path("name").asText(), field.path("description").isNull() ? null : field.path("description").asText());
                }
            });
        }
        Map<String, String> expected = new TreeMap<>();
        expected.put("described", "The described rows");
        expected.put("described_by_pk", null);
        expected.put("described_aggregate", "fetch aggregated fields from the table: \"renamed\"");
        expected.put("insert_described_one", "Adds one described row");
        expected.put("insert_described", "insert data into the table: \"renamed\"");
        expected.put("update_described", "update data of the table: \"renamed\"");
        expected.put("update_described_by_pk", "update single row of the table: \"renamed\"");
        expected.put("update_described_many", "update multiples rows of table: \"renamed\"");
        expected.put("delete_described", "delete data from the table: \"renamed\"");
        expected.put("delete_described_by_pk", "delete single row from the table: \"renamed\"");
        assertEquals(expected, described);
    }

    private static void assertDescribed(String type, String expected) {
        GraphqlResponse response = served.sidecar().client().query(
                "{ __type(name: \"" + type + "\") { description fields { name description } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse(expected), response.data().path("__type"), type);
    }
}
