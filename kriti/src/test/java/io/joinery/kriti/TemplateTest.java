package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hasura's request context, as an action's default request has it. */
    private static final Map<String, JsonNode> CONTEXT = Map.of(
            "$body", json("""
                    {"action": {"name": "createUser"},
                     "input": {"id": 7, "name": "Ada Lovelace", "email": null, "tags": ["a", "b", "c"],
                               "items": [{"sku": "x1", "qty": 2, "gift": true}, {"sku": "y2", "qty": 0, "gift": false}],
                               "my key": "spaced"},
                     "session_variables": {"x-hasura-role": "user", "x-hasura-user-id": "42"},
                     "request_query": "mutation { createUser(id: 7) { id } }"}"""),
            "$session_variables", json("{\"x-hasura-role\": \"user\", \"x-hasura-user-id\": \"42\"}"),
            "$base_url", TextNode.valueOf("http://users.test/api"),
            "$query_params", json("[]"));

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode render(String template) {
        return Template.parse(template).render(CONTEXT);
    }

    static Stream<Arguments> renders() {
        return Stream.of(
                // JSON as it is
                Arguments.of("{\"a\": [1, 2.5, -3, 1e2], \"b\": \"x\", \"c\": true, \"d\": null, \"e\": {}}",
                        "{\"a\": [1, 2.5, -3, 1e2], \"b\": \"x\", \"c\": true, \"d\": null, \"e\": {}}"),
                Arguments.of("[]", "[]"),
                Arguments.of("\"\"", "\"\""),
                Arguments.of("{\"nested\": {\"deeper\": {\"n\": 1}}}", "{\"nested\": {\"deeper\": {\"n\": 1}}}"),
                // paths
                Arguments.of("{{$body.input.id}}", "7"),
                Arguments.of("{\"id\": {{ $body.input.id }}, \"name\": {{$body.input.name}}}", "{\"id\": 7, \"name\": \"Ada Lovelace\"}"),
                Arguments.of("{{ $session_variables['x-hasura-user-id'] }}", "\"42\""),
                Arguments.of("{{ $session_variables.x-hasura-role }}", "\"user\""),
                Arguments.of("{{ $body.input['my key'] }}", "\"spaced\""),
                Arguments.of("{{ $body.input.tags[1] }}", "\"b\""),
                Arguments.of("{{ $body.input.items[0].sku }}", "\"x1\""),
                Arguments.of("{{ $body.input.tags[$body.input.items[0].qty] }}", "\"c\""),
                Arguments.of("{{ $body[\"input\"].id }}", "7"),
                Arguments.of("{{ $base_url }}", "\"http://users.test/api\""),
                Arguments.of("{{ $body.input.email }}", "null"),
                Arguments.of("{{ $body.input }}", CONTEXT.get("$body").path("input").toString()),
                // optional paths
                Arguments.of("{{ $body?.missing }}", "null"),
                Arguments.of("{{ $body?.missing.deeper.still }}", "null"),
                Arguments.of("{{ $body.input?.tags[9] }}", "null"),
                Arguments.of("{{ $body.input?.tags[1] }}", "\"b\""),
                Arguments.of("{{ $body.input?['my key'] }}", "\"spaced\""),
                Arguments.of("{{ $nowhere?.x }}", "null"),
                Arguments.of("{{ $body.input.email?.x }}", "null"),
                Arguments.of("{{ $body?.input?.name }}", "\"Ada Lovelace\""),
                Arguments.of("{{ $body?.missing ?? \"fallback\" }}", "\"fallback\""),
                Arguments.of("{{ $body.input.id ?? 0 }}", "7"),
                // string interpolation
                Arguments.of("\"{{$base_url}}/users/{{$body.input.id}}\"", "\"http://users.test/api/users/7\""),
                Arguments.of("\"n={{ 1 }}, b={{ true }}, z={{ null }}, a={{ [1,2] }}, o={{ {\"k\": \"v\"} }}\"",
                        "\"n=1, b=true, z=null, a=[1,2], o={\\\"k\\\":\\\"v\\\"}\""),
                Arguments.of("\"a { b } \\{{ c\"", "\"a { b } {{ c\""),
                Arguments.of("\"tab\\tquote\\\" slash\\/ \\u00e9\"", "\"tab\\tquote\\\" slash/ é\""),
                Arguments.of("\"{{ \"inner {{ $body.input.id }}\" }}!\"", "\"inner 7!\""),
                // literals and operators
                Arguments.of("[{{ 1 < 2 }}, {{ 2 < 1 }}, {{ 1 == 1.0 }}, {{ \"a\" != \"b\" }}, {{ 2 >= 2 }}, {{ 1 <= 0 }}]",
                        "[true, false, true, true, true, false]"),
                Arguments.of("[{{ true && false }}, {{ true || false }}, {{ (1 < 2) && (2 < 3) }}, {{ 1 < 2 && 2 < 3 && 3 < 4 }}]",
                        "[true, false, true, true]".replace("[true, false", "[false, true")),
                Arguments.of("[{{ \"a\" in $body.input.tags }}, {{ \"z\" in $body.input.tags }}, {{ \"id\" in $body.input }}]",
                        "[true, false, true]"),
                Arguments.of("[{{ \"abc\" < \"abd\" }}, {{ [1, 2] < [1, 3] }}, {{ {\"a\": 1} == {\"a\": 1.0} }}, {{ null == null }}]",
                        "[true, true, true, true]"),
                Arguments.of("{{ false && $nowhere }}", "false"),
                Arguments.of("{{ not true }}", "false"),
                Arguments.of("{{ not ($body.input.id == 7) }}", "false"),
                Arguments.of("{{ not $body.input.id == 8 }}", "true"),
                Arguments.of("# a comment\n{\"a\": 1 # another\n}", "{\"a\": 1}"),
                // if
                Arguments.of("{{ if $body.input.id > 5 }} \"big\" {{ else }} \"small\" {{ end }}", "\"big\""),
                Arguments.of("{{ if $body.input.id > 50 }} 1 {{ elif $body.input.id > 5 }} 2 {{ else }} 3 {{ end }}", "2"),
                Arguments.of("{{ if false }} 1 {{ elif false }} 2 {{ else }} 3 {{ end }}", "3"),
                Arguments.of("{{ if false }} 1 {{ end }}", "null"),
                Arguments.of("{\"x\": {{ if true }} {\"nested\": {{ $body.input.id }}} {{ else }} null {{ end }}}", "{\"x\": {\"nested\": 7}}"),
                Arguments.of("{{ if $body.input.email == null }} \"no email\" {{ else }} $body.input.email {{ end }}", "\"no email\""),
                // range
                Arguments.of("{{ range i, x := $body.input.tags }} {\"i\": {{i}}, \"tag\": {{x}}} {{ end }}",
                        "[{\"i\": 0, \"tag\": \"a\"}, {\"i\": 1, \"tag\": \"b\"}, {\"i\": 2, \"tag\": \"c\"}]"),
                Arguments.of("{{ range _, item := $body.input.items }} {{ item.sku }} {{ end }}", "[\"x1\", \"y2\"]"),
                Arguments.of("[ {{ range _, x := [1, 2] }} {{ x }} {{ end }} ]", "[[1, 2]]"),
                Arguments.of("{{ range _, x := [] }} {{ x }} {{ end }}", "[]"),
                Arguments.of("{{ range x := [3] }} {{ x }} {{ end }}", "[3]"),
                Arguments.of("{{ range _, item := $body.input.items }} {{ if item.gift }} {{ item.sku }} {{ else }} null {{ end }} {{ end }}",
                        "[\"x1\", null]"),
                Arguments.of("{{ range _, row := [[1, 2], [3]] }} {{ range j, v := row }} \"{{j}}:{{v}}\" {{ end }} {{ end }}",
                        "[[\"0:1\", \"1:2\"], [\"0:3\"]]"),
                Arguments.of("{{ range _, $var := [1] }} {{ $var }} {{ end }}", "[1]"),
                // functions
                Arguments.of("{{ escapeUri(\"a b/é?&=~._-\") }}", "\"a%20b%2F%C3%A9%3F%26%3D~._-\""),
                Arguments.of("{{ escapeUri $body.input.name }}", "\"Ada%20Lovelace\""),
                Arguments.of("[{{ toLower(\"AbC\") }}, {{ toUpper(\"AbC\") }}, {{ toTitle(\"hello wORLD-again\") }}, {{ toCaseFold(\"Straße\") }}]",
                        "[\"abc\", \"ABC\", \"Hello World-Again\", \"strasse\"]"),
                Arguments.of("[{{ empty({}) }}, {{ empty([1]) }}, {{ empty(\"  \") }}, {{ empty(0) }}, {{ empty(null) }}, {{ isEmpty(\"x\") }}]",
                        "[true, false, true, true, true, false]"),
                Arguments.of("[{{ size({\"a\": 1}) }}, {{ size(\"asdf\") }}, {{ size([1, 2]) }}, {{ size(5) }}, {{ size(true) }}, {{ size(null) }}, {{ length($body.input.tags) }}]",
                        "[1, 4, 2, 5, 1, 0, 3]"),
                Arguments.of("[{{ inverse(\"abc\") }}, {{ inverse([1, 2, 3]) }}, {{ inverse(4) }}, {{ inverse(true) }}, {{ inverse(null) }}, {{ inverse({\"a\": 1}) }}]",
                        "[\"cba\", [3, 2, 1], 0.25, false, null, {\"a\": 1}]"),
                Arguments.of("[{{ head([1, 2, 3]) }}, {{ head(\"asdf\") }}, {{ tail([1, 2, 3]) }}, {{ tail(\"asdf\") }}, {{ tail([]) }}]",
                        "[1, \"a\", [2, 3], \"sdf\", []]"),
                Arguments.of("{{ fromPairs([[\"a\", 1], [\"b\", 2]]) }}", "{\"a\": 1, \"b\": 2}"),
                Arguments.of("{{ toPairs({\"a\": 1, \"b\": [2]}) }}", "[[\"a\", 1], [\"b\", [2]]]"),
                Arguments.of("{{ fromPairs(toPairs($session_variables)) }}", CONTEXT.get("$session_variables").toString()),
                Arguments.of("{{ removeNulls([1, null, 3, null]) }}", "[1, 3]"),
                Arguments.of("{\"arrays\": {{ concat([[1, 2], [3]]) }}, \"strings\": {{ concat([\"ab\", \"c\"]) }}, \"objects\": {{ concat([{\"a\": 1, \"b\": 2}, {\"b\": 3}]) }}}",
                        "{\"arrays\": [1, 2, 3], \"strings\": \"abc\", \"objects\": {\"a\": 1, \"b\": 3}}"),
                Arguments.of("{{ concat({{ range i, x := $body.input.tags }} [{{ i }}] {{ end }}) }}", "[0, 1, 2]"),
                Arguments.of("{{ not(empty($body.input.tags)) }}", "true"),
                Arguments.of("{{ size($body.input.tags) > 2 }}", "true"),
                Arguments.of("\"{{ toUpper(head($body.input.name)) }}{{ tail(\"xyz\") }}\"", "\"Ayz\"")
        );
    }

    @ParameterizedTest
    @MethodSource
    void renders(String template, String expected) {
        JsonNode rendered = render(template);
        assertEquals(true, Json.equal(json(expected), rendered), template + " rendered " + rendered + ", expected " + expected);
    }

    @Test
    void rendersTheSameTemplateManyTimesAgainstDifferentValues() {
        Template template = Template.parse("{\"id\": {{ $body.id }}, \"twice\": \"{{ $body.id }}{{ $body.id }}\"}");
        for (int i = 0; i < 100; i++) {
            JsonNode rendered = template.render(Map.of("$body", json("{\"id\": " + i + "}")));
            assertEquals(json("{\"id\": " + i + ", \"twice\": \"" + i + i + "\"}"), rendered);
        }
    }

    @Test
    void interpolationTemplatesAreStringsWhoseQuotesAreText() {
        assertEquals(TextNode.valueOf("http://users.test/api/users/7?x=\"y\""),
                Template.parseInterpolation("{{$base_url}}/users/{{$body.input.id}}?x=\"y\"").render(CONTEXT));
        assertEquals(TextNode.valueOf("plain"), Template.parseInterpolation("plain").render(CONTEXT));
        assertEquals(TextNode.valueOf(""), Template.parseInterpolation("").render(CONTEXT));
        assertEquals(TextNode.valueOf("null"), Template.parseInterpolation("{{ $body.input.email }}").render(CONTEXT));
        assertEquals(TextNode.valueOf("Bearer 42"), Template.parseInterpolation("Bearer {{$session_variables['x-hasura-user-id']}}").render(CONTEXT));
    }

    @Test
    void extraFunctionsJoinTheBasicOnes() {
        KritiFunction session = name -> CONTEXT.get("$session_variables").get(name.textValue().toLowerCase());
        assertEquals(TextNode.valueOf("42"),
                Template.parse("{{ getSessionVariable(\"X-Hasura-User-Id\") }}").render(CONTEXT, Map.of("getSessionVariable", session)));
    }

    @Test
    void keepsItsSource() {
        String source = "{{ $body }}";
        assertSame(source, Template.parse(source).source());
    }

    // ---- errors

    static Stream<Arguments> parseErrors() {
        return Stream.of(
                Arguments.of("{{ $.path }", 1, 11, "unexpected '}', expected '}}'"),
                Arguments.of("{ 1: null }", 1, 3, "unexpected number 1, expected an object's key (a string)"),
                Arguments.of("[true, ]", 1, 8, "unexpected ']', expected a value"),
                Arguments.of("{\"a\": 1,\n \"b\" 2}", 2, 6, "unexpected number 2, expected ':' after an object's key"),
                Arguments.of("{\n  \"a\": {{ $body.x }\n}", 2, 19, "unexpected '}', expected '}}'"),
                Arguments.of("\"open", 1, 6, "a string is not closed by '\"'"),
                Arguments.of("{{ if true }} 1 {{ else }} 2", 1, 29, "'{{ end }}' of the block at line 1, column 1"),
                Arguments.of("{{ range i x := [] }} 1 {{ end }}", 1, 12, "unexpected 'x', expected ':=' after the binders of 'range'"),
                Arguments.of("\n\n   {{ else }}", 3, 7, "'else' without an open 'if' or 'range' before it"),
                Arguments.of("{{ a & b }}", 1, 6, "unexpected character '&' (did you mean '&&'?)"),
                Arguments.of("{{ toLower( }}", 1, 13, "expected a value"),
                Arguments.of("{\"a{{ 1 }}\": 1}", 1, 4, "an object's key is a plain string, without '{{ }}'"),
                Arguments.of("\"\\q\"", 1, 2, "unknown escape '\\q' in a string"),
                Arguments.of("1 2", 1, 3, "unexpected number 2, expected the end of the template"),
                Arguments.of("@", 1, 1, "unexpected character '@'"));
    }

    @ParameterizedTest
    @MethodSource
    void parseErrors(String template, int line, int column, String reason) {
        KritiException e = assertThrows(KritiException.class, () -> Template.parse(template));
        assertEquals(KritiException.Phase.PARSE, e.phase());
        assertEquals(true, e.reason().contains(reason), "reason of " + template + ": " + e.reason());
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), "position of " + template + ": " + e.getMessage());
    }

    @Test
    void interpolationParseErrorsArePositionedInTheTextItself() {
        KritiException e = assertThrows(KritiException.class, () -> Template.parseInterpolation("{{$base_url}}/{{ $body.input.id "));
        assertEquals("1:33", e.line() + ":" + e.column(), e.getMessage());
        assertEquals("'{{' is not closed by '}}'", e.reason());
    }

    static Stream<Arguments> renderErrors() {
        return Stream.of(
                Arguments.of("{{ $nobody }}", 1, 4, "variable '$nobody' is not in scope"),
                Arguments.of("{\n  \"id\": {{ $body.input.nope }}\n}", 2, 23, "the object has no field 'nope'"),
                Arguments.of("{{ $body.input.id.x }}", 1, 18, "field 'x' of a number: only an object has fields"),
                Arguments.of("{{ $body.input.tags[3] }}", 1, 20, "index 3 is out of range: the array has 3 elements"),
                Arguments.of("{{ $body.input.tags['a'] }}", 1, 21, "an array's element is numbered by an integer, not by a string"),
                Arguments.of("{{ if $body.input.id }} 1 {{ else }} 2 {{ end }}", 1, 7, "'if' takes booleans, not a number"),
                Arguments.of("{{ range _, x := $body.input }} 1 {{ end }}", 1, 18, "'range' goes over an array, not over an object"),
                Arguments.of("{{ true && 1 }}", 1, 12, "'&&' takes booleans, not a number"),
                Arguments.of("{{ nosuch(1) }}", 1, 4, "no function named 'nosuch'"),
                Arguments.of("\n  {{ toUpper(1) }}", 2, 14, "toUpper: expected a string, got a number"),
                Arguments.of("{{ head([]) }}", 1, 9, "head: an empty array has no head"),
                Arguments.of("{{ empty(true) }}", 1, 10, "empty: a boolean is neither empty nor not"),
                Arguments.of("{{ concat([[1], \"a\"]) }}", 1, 11, "concat: expected an array of arrays, of strings or of objects, not a mix"),
                Arguments.of("{{ fromPairs([[1, 2]]) }}", 1, 14, "fromPairs: expected an array of shape"),
                Arguments.of("{{ inverse(0) }}", 1, 12, "inverse: 0 has no inverse"),
                Arguments.of("{{ 1 in 2 }}", 1, 9, "'in' looks into an object or an array, not into a number"),
                Arguments.of("{{ $body.input.id?.x }}", 1, 18, "'?' after a number: only objects and arrays are looked into"),
                Arguments.of("{{ range _, x := [1] }} {{ y }} {{ end }}", 1, 28, "variable 'y' is not in scope"));
    }

    @ParameterizedTest
    @MethodSource
    void renderErrors(String template, int line, int column, String reason) {
        Template parsed = Template.parse(template);
        KritiException e = assertThrows(KritiException.class, () -> parsed.render(CONTEXT));
        assertEquals(KritiException.Phase.RENDER, e.phase());
        assertEquals(true, e.reason().contains(reason), "reason of " + template + ": " + e.reason());
        assertEquals(line + ":" + column, e.line() + ":" + e.column(), "position of " + template + ": " + e.getMessage());
    }

    @Test
    void theMessageNamesTheReasonAndThePosition() {
        KritiException e = assertThrows(KritiException.class, () -> Template.parse("[1,\n ]"));
        assertEquals("unexpected ']', expected a value (line 2, column 2)", e.getMessage());
    }
}
