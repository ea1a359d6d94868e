package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.AstPrinter;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the keys of a batch fill a list-argument template. */
class BatchTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query {
              profiles(authorIds: [Int!]!): [Profile!]!
              users(ids: [ID!], where: UserWhere): [Profile]
              stocks(keys: [StockKey!]!, first: Int): [Profile!]!
            }
            input UserWhere { id: IdFilter }
            input IdFilter { _in: [ID!] }
            input StockKey { sku: String! store: Int! }
            type Profile { authorId: Int! }
            """), RuntimeWiring.newRuntimeWiring().build());

    private static final List<List<JsonNode>> TUPLES = List.of(
            List.of(json("1"), json("\"S1\"")),
            List.of(json("2"), json("\"S1\"")),
            List.of(json("1"), json("\"S2\"")));

    @Test
    void aColumnStandsForTheListOfItsDistinctValues() {
        assertEquals("[1, 2]", fill("profiles", "authorIds", "\"$id\""));
        assertEquals("[1, 2]", fill("users", "ids", "\"$id\""), "an ID takes an int literal");
    }

    @Test
    void filterFormsTakeTheListWhereTheColumnIs() {
        assertEquals("{id : {_in : [1, 2]}}", fill("users", "where", "{\"id\": {\"_in\": \"$id\"}}"));
    }

    @Test
    void aOneElementListTemplateExpandsToOneElementPerDistinctKey() {
        assertEquals("[{sku : \"S1\", store : 1}, {sku : \"S1\", store : 2}, {sku : \"S2\", store : 1}]",
                fill("stocks", "keys", "[{\"sku\": \"$sku\", \"store\": \"$id\"}]"));
        assertEquals("[{sku : \"S1\", store : 7}, {sku : \"S2\", store : 7}]",
                fill("stocks", "keys", "[{\"sku\": \"$sku\", \"store\": 7}]"), "distinct on the columns the element uses");
        assertEquals("10", fill("stocks", "first", "10"), "static values stay");
    }

    @Test
    void nullValuesAreNotSent() {
        List<List<JsonNode>> tuples = List.of(List.of(json("1")), List.of(json("null")));
        GraphQLArgument argument = SCHEMA.getQueryType().getFieldDefinition("profiles").getArgument("authorIds");
        assertEquals("[1]", AstPrinter.printAst(GraphqlLiterals.fillBatch(json("\"$id\""), argument.getType(), List.of("id"), tuples)));
    }

    private static String fill(String field, String argument, String template) {
        GraphQLArgument definition = SCHEMA.getQueryType().getFieldDefinition(field).getArgument(argument);
        return AstPrinter.printAst(GraphqlLiterals.fillBatch(json(template), definition.getType(), List.of("id", "sku"), TUPLES));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
