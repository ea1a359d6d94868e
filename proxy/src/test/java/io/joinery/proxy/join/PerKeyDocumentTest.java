package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.VariableDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.ValueFrom;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.RemotePathStep;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The per-key document written as text is graphql-java's own printing of the same document, and a key's value stays a literal. */
class PerKeyDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query {
              profile(authorId: Int!): Profile
              byName(name: String!, lang: String): Profile
              byKind(kind: Kind!): Profile
              users(where: UserWhere!, limit: Int): [Profile]
              directory(region: String): Directory
              ping: String
            }
            type Directory { profile(authorId: Int!): Profile }
            enum Kind { AUTHOR EDITOR }
            input UserWhere { authorId: IntFilter, name: String }
            input IntFilter { _eq: Int, _in: [Int!] }
            type Profile { authorId: Int! name: String bio: String }
            """), RuntimeWiring.newRuntimeWiring().build());
    private static final RemoteSchema REMOTE = new RemoteSchema(new RemoteSchemaConfig("profiles",
            new ValueFrom("http://127.0.0.1:1/graphql", null), Map.of(), false, null, null, null), null, SCHEMA);

    @Test
    void theKeysFieldsAfterOneHeaderWithTheSelectionSpreadFromOneFragment() {
        JoinSpec join = join(List.of("id"), List.of(new RemotePathStep("profile", json("{\"authorId\": \"$id\"}"))),
                "{ authorId name }", List.of(), Set.of());
        FragmentDefinition key = FragmentDefinition.newFragmentDefinition().name("JoineryKey")
                .typeCondition(new graphql.language.TypeName("Profile")).selectionSet(join.selection()).build();
        SelectionSet spread = SelectionSet.newSelectionSet().selection(new graphql.language.FragmentSpread("JoineryKey")).build();
        String text = new PerKeyDocument(join, REMOTE, spread, Set.of(), Set.of(), List.of(key)).text(keys("[1]", "[2]", "[30]"));
        assertEquals("query JoineryJoin{f0:profile(authorId:1){...JoineryKey}f1:profile(authorId:2){...JoineryKey}"
                + "f2:profile(authorId:30){...JoineryKey}} fragment JoineryKey on Profile {authorId name}", text);
        assertPrintersOwn(text);
    }

    @Test
    void everyKindOfArgumentIsPrintedAsGraphqlJavaPrintsIt() {
        // constants, a string key (quoted, escaped), an input object that reads a column, the client's
        // own argument and one merged into the template's input object, variables and fragments of the client's
        JoinSpec join = join(List.of("id", "name"), List.of(
                        new RemotePathStep("users", json("{\"where\": {\"authorId\": {\"_eq\": \"$id\"}, \"name\": \"$name\"}}"))),
                "{ ...Bits bio @include(if: $withBio) }", List.of(
                        Argument.newArgument("limit", new graphql.language.VariableReference("n")).build(),
                        Argument.newArgument("where", value("{name: \"ignored\", authorId: {_in: [1, 2]}}")).build()),
                Set.of("n", "withBio"));
        String text = new PerKeyDocument(join, REMOTE, join.selection(), new LinkedHashSet<>(List.of("Bits")),
                new LinkedHashSet<>(List.of("n", "withBio")), List.of()).text(keys("[7, \"Ada\"]", "[8, \"quote \\\" and \\\\ ){ x }\"]"));
        assertPrintersOwn(text);
        OperationDefinition operation = Parser.parse(text).getDefinitionsOfType(OperationDefinition.class).getFirst();
        assertEquals(2, operation.getVariableDefinitions().size());
        Field second = (Field) operation.getSelectionSet().getSelections().get(1);
        assertEquals("f1", second.getAlias());
        assertEquals(List.of("where", "limit"), second.getArguments().stream().map(Argument::getName).toList());
        graphql.language.ObjectValue where = (graphql.language.ObjectValue) second.getArguments().getFirst().getValue();
        assertEquals("quote \" and \\ ){ x }", ((StringValue) where.getObjectFields().get(1).getValue()).getValue(),
                "a key's text stays one string literal, whatever it holds");
    }

    @Test
    void aPathOfTwoFieldsEnumsAndScalarFields() {
        JoinSpec nested = join(List.of("id"), List.of(new RemotePathStep("directory", json("{\"region\": \"eu\"}")),
                new RemotePathStep("profile", json("{\"authorId\": \"$id\"}"))), "{ name }", List.of(), Set.of());
        String text = new PerKeyDocument(nested, REMOTE, nested.selection(), Set.of(), Set.of(), List.of()).text(keys("[1]", "[2]"));
        assertEquals("query JoineryJoin{f0:directory(region:\"eu\"){profile(authorId:1){name}}f1:directory(region:\"eu\"){profile(authorId:2){name}}}",
                text);
        assertPrintersOwn(text);

        JoinSpec kinds = join(List.of("kind"), List.of(new RemotePathStep("byKind", json("{\"kind\": \"$kind\"}"))), null, List.of(), Set.of());
        String scalar = new PerKeyDocument(kinds, REMOTE, null, Set.of(), Set.of(), List.of()).text(keys("[\"AUTHOR\"]", "[\"EDITOR\"]"));
        assertEquals("query JoineryJoin{f0:byKind(kind:AUTHOR) f1:byKind(kind:EDITOR)}", scalar);
        assertPrintersOwn(scalar);
    }

    /** Parsing the text and printing it again gives the text back: it is what graphql-java prints for that document. */
    private static void assertPrintersOwn(String text) {
        Document parsed = Parser.parse(text);
        assertEquals(AstPrinter.printAstCompact(parsed), text);
    }

    private static JoinSpec join(List<String> columns, List<RemotePathStep> path, String selection, List<Argument> arguments,
                                 Set<String> variables) {
        Document client = Parser.parse("""
                query Client($n: Int, $withBio: Boolean!, $unused: String) { x %s }
                fragment Bits on Profile { authorId name }
                """.formatted(selection == null ? "" : "{ y " + selection + " }"));
        OperationDefinition operation = client.getDefinitionsOfType(OperationDefinition.class).getFirst();
        SelectionSet set = null;
        if (selection != null) {
            Field x = (Field) operation.getSelectionSet().getSelections().getFirst();
            set = ((Field) x.getSelectionSet().getSelections().getFirst()).getSelectionSet();
        }
        List<VariableDefinition> definitions = operation.getVariableDefinitions().stream().filter(d -> variables.contains(d.getName())).toList();
        return new JoinSpec("profile", "profiles", columns, path, set,
                Map.of("Bits", client.getDefinitionsOfType(FragmentDefinition.class).getFirst()), definitions, arguments, "profile");
    }

    private static graphql.language.Value<?> value(String text) {
        Field field = (Field) Parser.parse("{ f(v: " + text + ") }").getDefinitionsOfType(OperationDefinition.class).getFirst()
                .getSelectionSet().getSelections().getFirst();
        return field.getArguments().getFirst().getValue();
    }

    private static List<List<JsonNode>> keys(String... tuples) {
        return java.util.Arrays.stream(tuples).map(t -> {
            List<JsonNode> key = new java.util.ArrayList<>();
            json(t).forEach(key::add);
            return key;
        }).toList();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aStringKeyForAnIntArgumentIsAnIntLiteral() {
        JoinSpec join = join(List.of("id"), List.of(new RemotePathStep("profile", json("{\"authorId\": \"$id\"}"))), "{ name }", List.of(), Set.of());
        String text = new PerKeyDocument(join, REMOTE, join.selection(), Set.of(), Set.of(), List.of()).text(keys("[\"12\"]"));
        Field field = (Field) Parser.parse(text).getDefinitionsOfType(OperationDefinition.class).getFirst().getSelectionSet().getSelections().getFirst();
        assertInstanceOf(graphql.language.IntValue.class, field.getArguments().getFirst().getValue());
    }

    @Test
    void aKeyThatIsNoGraphqlNameGoesToAnEnumAsAStringNotIntoTheDocument() {
        JoinSpec kinds = join(List.of("kind"), List.of(new RemotePathStep("byKind", json("{\"kind\": \"$kind\"}"))), null, List.of(), Set.of());
        String text = new PerKeyDocument(kinds, REMOTE, null, Set.of(), Set.of(), List.of())
                .text(keys("[\"AUTHOR) x: ping f9: byKind(kind: EDITOR\"]"));
        assertPrintersOwn(text);
        OperationDefinition operation = Parser.parse(text).getDefinitionsOfType(OperationDefinition.class).getFirst();
        assertEquals(1, operation.getSelectionSet().getSelections().size(), text);
        Field field = (Field) operation.getSelectionSet().getSelections().getFirst();
        assertEquals("AUTHOR) x: ping f9: byKind(kind: EDITOR", ((StringValue) field.getArguments().getFirst().getValue()).getValue());
    }

    @Test
    void integersKeepEveryDigitAndGoToStringsAsStrings() {
        JoinSpec join = join(List.of("id"), List.of(new RemotePathStep("byName", json("{\"name\": \"$id\"}"))), "{ name }", List.of(), Set.of());
        assertEquals("query JoineryJoin{f0:byName(name:\"12\"){name}f1:byName(name:\"123456789012345678901234567890\"){name}}",
                new PerKeyDocument(join, REMOTE, join.selection(), Set.of(), Set.of(), List.of()).text(keys("[12]", "[123456789012345678901234567890]")));
        JoinSpec ids = join(List.of("id"), List.of(new RemotePathStep("profile", json("{\"authorId\": \"$id\"}"))), "{ name }", List.of(), Set.of());
        assertEquals("query JoineryJoin{f0:profile(authorId:9007199254740993){name}f1:profile(authorId:123456789012345678901234567890){name}}",
                new PerKeyDocument(ids, REMOTE, ids.selection(), Set.of(), Set.of(), List.of()).text(keys("[9007199254740993]", "[123456789012345678901234567890]")));
    }
}
