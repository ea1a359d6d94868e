package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the answers of a list-argument join are matched to its keys and aliased. */
class ListArgumentJoinTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
