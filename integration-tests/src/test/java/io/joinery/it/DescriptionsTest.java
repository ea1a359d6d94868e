package io.joinery.it;

import io.joinery.it.support.GraphqlClient.GraphqlResponse;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    private static void assertDescribed(String type, String expected) {
        GraphqlResponse response = served.sidecar().client().query(
                "{ __type(name: \"" + type + "\") { description fields { name description } } }");
        assertTrue(response.errors().isMissingNode(), response.toString());
        JsonTrees.assertJsonEquals(JsonTrees.parse(expected), response.data().path("__type"), type);
    }
}
