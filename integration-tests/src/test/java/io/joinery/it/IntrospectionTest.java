package io.joinery.it;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.joinery.it.support.GraphqlClient;
import io.joinery.it.support.JsonTrees;
import io.joinery.it.support.SidecarOnDatabase;
import io.joinery.proxy.schema.SchemaProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The introspection query GraphiQL sends on load (graphql-js' getIntrospectionQuery with input value
 * deprecation) works for every role, and its answer rebuilds into a schema, as GraphiQL's
 * buildClientSchema does. Names that are not GraphQL names are reported, not fatal.
 */
class IntrospectionTest {

    @RegisterExtension
    static final SidecarOnDatabase served = SidecarOnDatabase.of("introspection", "/it/schema.sql", "/it/metadata.yaml");

    @Test
    void graphiqlIntrospectionRebuildsTheAdminSchema() {
        GraphQLSchema schema = introspect(served.sidecar().client());

        assertEquals("query_root", schema.getQueryType().getName(), "query type");
        assertNull(schema.getMutationType(), "mutation type (none yet)");
        for (String table : List.of("author", "article", "comment", "all_types", "odd_columns")) {
            GraphQLObjectType root = schema.getQueryType();
            assertNotNull(root.getFieldDefinition(table), "root field " + table);
            assertNotNull(root.getFieldDefinition(table + "_by_pk"), "root field " + table + "_by_pk");
            assertNotNull(root.getFieldDefinition(table + "_aggregate"), "root field " + table + "_aggregate");
        }
        for (String type : List.of("author_bool_exp", "author_order_by", "author_select_column", "author_aggregate_fields",
                "Int_comparison_exp", "String_comparison_exp", "jsonb_comparison_exp", "timestamptz_comparison_exp", "order_by")) {
            assertNotNull(schema.getType(type), "type " + type);
        }
        assertEquals(List.of("id", "ok"), fieldNames(schema, "odd_columns"), "fields of odd_columns");
    }

    @Test
    void graphiqlIntrospectionShowsARoleOnlyWhatItMaySee() {
        GraphQLSchema schema = introspect(served.sidecar().client().withHeaders(Map.of("x-joinery-role", "user")));

        assertEquals(List.of("articles", "articles_aggregate", "comments", "created_at", "id", "name"), fieldNames(schema, "author"),
                "the user's fields of author, in name order as Hasura lists them");
        assertNull(schema.getType("all_types"), "all_types for the user");
        assertNull(schema.getQueryType().getFieldDefinition("author_aggregate"), "author_aggregate for the user");
    }

    @Test
    void graphiqlIntrospectionWorksForTheUnauthorizedRole() {
        GraphQLSchema schema = introspect(served.sidecar().client().without("x-joinery-admin-secret"));

        assertEquals(List.of("article", "article_by_pk"), schema.getQueryType().getFieldDefinitions().stream()
                .map(f -> f.getName()).filter(n -> !n.startsWith("__")).toList(), "anonymous root fields");
        assertEquals(List.of("id", "title"), fieldNames(schema, "article"), "anonymous fields of article");
    }

    @Test
    void columnsWithInvalidNamesAreReportedAndLeftOut() {
        List<String> problems = served.sidecar().sidecar().engine().state().model().problems().stream()
                .map(SchemaProblem::message).toList();

        assertTrue(problems.stream().anyMatch(p -> p.contains("odd_columns") && p.contains("\"first name\"")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("odd_columns") && p.contains("\"2nd\"")), problems.toString());
        assertEquals(2, problems.size(), problems.toString());
    }

    private static GraphQLSchema introspect(GraphqlClient client) {
        GraphqlClient.GraphqlResponse answer = client.query(resource("/introspection/graphiql.graphql"));
        assertEquals(200, answer.status(), answer.toString());
        JsonNode json = answer.json();
        assertFalse(json.has("errors"), "errors of the introspection query: " + json.path("errors"));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = JsonTrees.toMap(json.path("data"));
        Document document = new IntrospectionResultToSchema().createSchemaDefinition(data);
        return UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().buildRegistry(document));
    }

    private static List<String> fieldNames(GraphQLSchema schema, String type) {
        return ((GraphQLObjectType) schema.getType(type)).getFieldDefinitions().stream().map(f -> f.getName()).toList();
    }

    private static String resource(String name) {
        try (InputStream in = IntrospectionTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
