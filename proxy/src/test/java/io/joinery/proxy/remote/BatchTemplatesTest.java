package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.AstPrinter;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the keys of a batch fill a list-argument template, and how answers are matched and aliased. */
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

    @Test
    void keysCompareByValueWhateverTheirJsonType() {
        assertEquals(ListArgumentJoin.canonical(json("1")), ListArgumentJoin.canonical(json("\"1\"")));
        assertEquals(ListArgumentJoin.canonical(json("1")), ListArgumentJoin.canonical(json("1.0")));
        assertEquals(List.of("7", "S1"), ListArgumentJoin.canonical(List.of(json("7"), json("\"S1\""))));
    }

    @Test
    void phantomAliasesAvoidEveryResponseKeyOfTheSelection() {
        var document = Parser.parse("""
                { x { a __joinery_match_0: b ... on Profile { __joinery_match_1: c } ...More } }
                fragment More on Profile { __joinery_match_1_: d }
                """);
        OperationDefinition operation = document.getDefinitionsOfType(OperationDefinition.class).getFirst();
        SelectionSet selection = ((graphql.language.Field) operation.getSelectionSet().getSelections().getFirst()).getSelectionSet();
        Map<String, FragmentDefinition> fragments = Map.of("More", document.getDefinitionsOfType(FragmentDefinition.class).getFirst());
        assertEquals(List.of("__joinery_match_0_", "__joinery_match_1__", "__joinery_match_2"),
                ListArgumentJoin.phantomAliases(selection, fragments, 3));
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
