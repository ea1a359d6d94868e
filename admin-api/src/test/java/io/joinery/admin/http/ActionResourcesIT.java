package io.joinery.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.ValueFrom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actions and custom types as resources. */
class ActionResourcesIT extends AdminServiceFixture {

    // ---- actions and custom types

    @Test
    void actionsAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        Response none = get("/actions");
        assertEquals(200, none.status());
        assertEquals(JSON.readTree("[]"), none.json());
        assertEquals("\"1\"", none.etag());
        assertEquals(201, put("/custom-types/Result", "{\"definition\": \"type Result { order_id: Int! }\"}", null).status());

        String body = "{\"output\": \"Result\", \"handler\": \"http://orders.test/create\", \"roles\": [\"user\"]}";
        Response created = put("/actions/createOrder", body, null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"3\"", created.etag());
        Action createOrder = new Action("createOrder", null, null, "Result", new ValueFrom("http://orders.test/create", null), null,
                false, null, List.of("user"), null);
        assertEquals(createOrder, action(created), "the name comes from the path");
        assertEquals(createOrder, action(get("/actions/createOrder")));
        assertEquals(List.of("createOrder"), get("/actions").json().findValuesAsText("name"));

        Response same = put("/actions/createOrder", "name: createOrder\noutput: Result\nhandler: http://orders.test/create\nroles: [user]\n",
                null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"3\"", same.etag(), "putting the same action again is not a change");

        assertEquals(412, put("/actions/createOrder", body, "\"2\"").status(), "action writes honour If-Match");
        Response replaced = put("/actions/createOrder", """
                {"kind": "query", "arguments": {"id": "Int!"}, "output": "[Result!]", "handler": {"from_env": "ORDERS_URL"},
                 "headers": {"X-Api-Key": {"from_env": "ORDERS_KEY"}}, "timeout_seconds": 5}""", "\"3\"");
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals("\"4\"", replaced.etag());
        assertEquals(new Action("createOrder", "query", Map.of("id", "Int!"), "[Result!]", new ValueFrom(null, "ORDERS_URL"),
                Map.of("X-Api-Key", new ValueFrom(null, "ORDERS_KEY")), false, 5, null, null), action(get("/actions/createOrder")),
                "a PUT replaces the whole action");

        Response mismatch = put("/actions/createOrder", "{\"name\": \"other\", \"output\": \"Result\", \"handler\": \"http://x\"}", null);
        assertEquals(400, mismatch.status());
        assertEquals("invalid-metadata", mismatch.code());
        assertEquals("the body names action 'other' but the path names 'createOrder'", mismatch.json().path("message").asText());

        Response unknownType = put("/actions/createOrder", "{\"output\": \"Receipt\", \"handler\": \"http://x\"}", null);
        assertEquals(400, unknownType.status(), unknownType.text());
        assertEquals("inconsistent-metadata", unknownType.code());
        assertEquals(JSON.readTree("""
                [{"object": "action createOrder", "dependency": "type Receipt",
                  "reason": "no such type: not a built-in or Postgres scalar, nor a custom type (output)"}]"""),
                unknownType.json().path("problems"));
        assertEquals("\"4\"", get("/metadata").etag(), "refused writes change nothing");

        Response deleted = delete("/actions/createOrder");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"action createOrder\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/actions/createOrder");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("action 'createOrder' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/actions/createOrder").status());
        assertEquals(MetadataCodec.parse(BLOG).sources(), MetadataCodec.parse(get("/metadata").text()).sources(), "the tables are as they were");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {not json                                               | invalid-json     | line 1
            ~~                                                      | invalid-json     | needs a JSON or YAML body
            {"handler": "http://x"}                                 | invalid-metadata | action 'createOrder' needs an output type
            {"output": "Result"}                                    | invalid-metadata | action 'createOrder' needs a handler
            {"output": "Result", "handler": "http://x", "kind": "subscription"} | invalid-metadata | kind is 'query' or 'mutation', not 'subscription'
            {"output": "Result", "handler": "http://x", "type": "mutation"}     | invalid-metadata | unknown key 'type'
            {"output": "Result", "handler": "ftp://x"}              | inconsistent-metadata | 'ftp://x' is not an absolute http(s) URL
            {"output": "Result", "handler": "http://x", "roles": ["a b"]}       | inconsistent-metadata | role a b: malformed
            {"output": "Result", "handler": "http://x", "timeout_seconds": 0}   | inconsistent-metadata | the timeout must be positive, not 0
            {"arguments": {"r": "Result"}, "output": "Result", "handler": "http://x"} | inconsistent-metadata | an argument takes an input type
            {"output": "Result", "handler": "http://x", "request_transform": {"version": 3}} | invalid-metadata | a transform's version is 1 or 2, not 3
            {"output": "Result", "handler": "http://x", "request_transform": {"body": {"action": "send"}}} | invalid-metadata | action is transform, remove or x_www_form_urlencoded, not 'send'
            {"output": "Result", "handler": "http://x", "request_transform": {"url": "{{$base_url}}/{{ $body.input.id "}} | inconsistent-metadata | request_transform.url: the Kriti template does not parse: '{{' is not closed by '}}' at line 1, column 33
            {"output": "Result", "handler": "http://x", "response_transform": {"body": "{\\n  \\"id\\": {{ $body.id }}\\n  \\"x\\": 1\\n}"}} | inconsistent-metadata | response_transform.body.template: the Kriti template does not parse: unexpected a string, expected ',' or '}' at line 3, column 3
            [1]                                                     | invalid-metadata | invalid metadata
            """)
    void aMalformedOrInconsistentActionIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response response = put("/actions/createOrder", body == null ? "" : body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        assertTrue(response.json().path("message").asText().contains(messagePart), response.text());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void anActionsTransformsAreStoredAsWrittenInHasurasShape() throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        String body = """
                {"output": "Result", "handler": "http://users.test",
                 "request_transform": {"version": 2, "template_engine": "Kriti", "method": "get", "url": "{{$base_url}}/u/{{$body.input.id}}",
                   "query_params": {"fields": "{{$body.input.fields}}", "flag": null},
                   "request_headers": {"add_headers": {"X-User": "{{$session_variables['x-hasura-user-id']}}"}, "remove_headers": ["content-type"]},
                   "body": {"action": "remove"}},
                 "response_transform": {"version": 2, "body": {"action": "transform", "template": "{\\"id\\": {{$body.user.id}}}"}}}""";
        Response created = put("/actions/createOrder", body, null);
        assertTrue(created.status() == 200 || created.status() == 201, created.text());
        JsonNode stored = get("/actions/createOrder").json();
        assertEquals(JSON.readTree("""
                {"version": 2, "template_engine": "Kriti", "method": "GET", "url": "{{$base_url}}/u/{{$body.input.id}}",
                 "query_params": {"fields": "{{$body.input.fields}}", "flag": null},
                 "request_headers": {"add_headers": {"X-User": "{{$session_variables['x-hasura-user-id']}}"}, "remove_headers": ["content-type"]},
                 "body": {"action": "remove"}}"""), stored.path("request_transform"));
        assertEquals(JSON.readTree("{\"version\": 2, \"body\": {\"action\": \"transform\", \"template\": \"{\\\"id\\\": {{$body.user.id}}}\"}}"),
                stored.path("response_transform"));

        Response version1 = put("/actions/createOrder", """
                {"output": "Result", "handler": "http://users.test", "request_transform": {"body": "{\\"id\\": {{$body.input.id}}}"}}""", null);
        assertEquals(200, version1.status(), version1.text());
        assertEquals(JSON.readTree("{\"body\": {\"action\": \"transform\", \"template\": \"{\\\"id\\\": {{$body.input.id}}}\"}}"),
                get("/actions/createOrder").json().path("request_transform"), "a version-1 body is the template itself");
    }

    @Test
    void customTypesAreCreatedReadReplacedAndDeleted() throws Exception {
        putDocument(BLOG);
        assertEquals(JSON.readTree("[]"), get("/custom-types").json());

        Response created = put("/custom-types/Email", "{\"definition\": \"scalar Email\"}", null);
        assertEquals(201, created.status(), created.text());
        assertEquals("\"2\"", created.etag());
        assertEquals(CustomType.of("scalar Email"), customType(created));
        assertEquals(CustomType.of("scalar Email"), customType(get("/custom-types/Email")));
        Response same = put("/custom-types/Email", "definition: scalar Email\n", null, "application/yaml");
        assertEquals(200, same.status(), same.text());
        assertEquals("\"2\"", same.etag(), "the same definition again is not a change");

        String order = """
                {"definition": "type Order {\\n  id: Int!\\n  author_id: Int\\n  contact: Email\\n}\\n",
                 "relationships": {"author": {"object": "author", "on": {"author_id": "id"}}}}""";
        assertEquals(412, put("/custom-types/Order", order, "\"1\"").status(), "custom type writes honour If-Match");
        Response withRelationship = put("/custom-types/Order", order, "\"2\"");
        assertEquals(201, withRelationship.status(), withRelationship.text());
        String definition = "type Order {\n  id: Int!\n  author_id: Int\n  contact: Email\n}\n";
        assertEquals(definition, customType(get("/custom-types/Order")).definition(), "the definition is kept as written");
        assertEquals(List.of("scalar Email", definition), get("/custom-types").json().findValuesAsText("definition"));
        Response replaced = put("/custom-types/Order", "{\"definition\": \"type Order { id: Int! }\"}", null);
        assertEquals(200, replaced.status(), replaced.text());
        assertEquals(Map.of(), customType(get("/custom-types/Order")).relationships(), "a PUT replaces the whole custom type");

        Response deleted = delete("/custom-types/Order");
        assertEquals(200, deleted.status(), deleted.text());
        assertEquals(JSON.readTree("{\"deleted\": \"custom type Order\", \"cascaded\": []}"), deleted.json());
        Response gone = get("/custom-types/Order");
        assertEquals(404, gone.status());
        assertEquals("not-found", gone.code());
        assertEquals("custom type 'Order' does not exist", gone.json().path("message").asText());
        assertEquals(404, delete("/custom-types/Order").status());
        assertEquals(List.of("scalar Email"), get("/custom-types").json().findValuesAsText("definition"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', textBlock = """
            {"definition": "scalar Mail"}                           | invalid-metadata      | the definition names type 'Mail' but the path names 'Email'
            {"definition": "scalar Email {"}                        | invalid-metadata      | the definition is not one type definition: it does not parse
            {"definition": "scalar Email scalar Phone"}             | invalid-metadata      | the definition is not one type definition: it holds 2 definitions
            {"relationships": {}}                                   | invalid-metadata      | a custom type needs 'definition'
            {"definition": "scalar Email", "name": "Email"}         | invalid-metadata      | unknown key 'name'
            {"definition": "interface Email { a: Int }"}            | inconsistent-metadata | it is an interface
            {"definition": "input Email { a: Result }"}             | inconsistent-metadata | an input type's fields take input types
            {"definition": "type Email { a: Int }", "relationships": {"tags": {"array": "tag", "on": {"a": "id"}}}} | inconsistent-metadata | table tag: the target table is not tracked
            {"definition": "type Email { a: Int }", "relationships": {"author": {"object": "author", "on": {"a": "nme"}}}} | inconsistent-metadata | column author.nme: the column does not exist
            {"definition": "type Email { a: Boolean }", "relationships": {"author": {"object": "author", "on": {"a": "id"}}}} | inconsistent-metadata | its type int4 cannot be compared with Email.a of type Boolean
            {"definition": "type Email { a: Int }"}                 | inconsistent-metadata | type Email: an argument takes an input type
            """)
    void aMalformedOrInconsistentCustomTypeIsRefusedWithACode(String body, String code, String messagePart) throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response response = put("/custom-types/Email", body, null);
        assertEquals(400, response.status(), response.text());
        assertEquals(code, response.code());
        List<String> said = new ArrayList<>(List.of(response.json().path("message").asText()));
        response.json().path("problems").forEach(problem -> said.add(problem.path("dependency").asText() + ": " + problem.path("reason").asText()));
        assertTrue(said.stream().anyMatch(text -> text.contains(messagePart)), "the message or a problem says it: " + response.text());
        assertEquals("\"1\"", get("/metadata").etag(), "nothing was written");
    }

    @Test
    void deletingACustomTypeInUseNeedsCascadeWhichRemovesItsUsersTransitively() throws Exception {
        Response setUp = putDocument(BLOG_WITH_ACTIONS);
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/custom-types/Email");
        assertEquals(409, refused.status(), refused.text());
        assertEquals("dependents-exist", refused.code());
        JsonNode dependents = JSON.readTree("[\"custom type Contact\", \"custom type Order\", \"action createOrder\", \"action confirm\"]");
        assertEquals(dependents, refused.json().path("dependents"));
        assertTrue(refused.json().path("message").asText().startsWith("custom type Email is used by custom type Contact; "), refused.text());
        assertEquals("\"1\"", get("/metadata").etag(), "a refused delete changes nothing");

        Response cascaded = delete("/custom-types/Email?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals("custom type Email", cascaded.json().path("deleted").asText());
        assertEquals(dependents, cascaded.json().path("cascaded"));
        assertEquals(List.of("results"), get("/actions").json().findValuesAsText("name"), "the action using only Result stays");
        assertEquals(List.of("Result"), MetadataCodec.parse(get("/metadata").text()).customTypes().stream()
                .map(type -> type.name().orElseThrow()).toList());

        assertEquals(409, delete("/custom-types/Result").status());
        assertEquals(200, delete("/actions/results").status());
        assertEquals(JSON.readTree("{\"deleted\": \"custom type Result\", \"cascaded\": []}"), delete("/custom-types/Result").json(),
                "once nothing uses it, it goes alone");
    }

    @Test
    void untrackingATableACustomTypeJoinsToNeedsCascadeToo() throws Exception {
        putDocument(BLOG_WITH_ACTIONS);
        Response refused = delete("/sources/default/tables/author");
        assertEquals(409, refused.status(), refused.text());
        assertEquals(JSON.readTree("""
                ["table article, relationship author", "table article, select permission user", "custom type Result, relationship author"]"""),
                refused.json().path("dependents"));

        Response cascaded = delete("/sources/default/tables/author?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(refused.json().path("dependents"), cascaded.json().path("cascaded"));
        assertEquals(CustomType.of("type Result { order_id: Int!, author_id: Int }"), customType(get("/custom-types/Result")),
                "Result.author went with the table, Result stays");
        assertEquals(3, get("/actions").json().size(), "the actions stay");
    }

    @Test
    void deletingASourceACustomTypeJoinsToNeedsCascade() throws Exception {
        Response setUp = putDocument(TWO_SOURCES.strip().replaceFirst("}\\s*$", """
                ,
                 "custom_types": [{"definition": "type Stats { author_id: Int }",
                                   "relationships": {"stats": {"object": "author", "source": "analytics", "on": {"author_id": "id"}}}}]}
                """));
        assertEquals(200, setUp.status(), setUp.text());
        Response refused = delete("/sources/analytics");
        assertEquals(409, refused.status(), refused.text());
        assertTrue(refused.json().path("dependents").toString().contains("\"custom type Stats, relationship stats\""), refused.text());
        Response cascaded = delete("/sources/analytics?cascade=true");
        assertEquals(200, cascaded.status(), cascaded.text());
        assertEquals(Map.of(), customType(get("/custom-types/Stats")).relationships(), "Stats.stats went with the source");
    }

    @Test
    void validateAndInconsistenciesReportActionsAndCustomTypes() throws Exception {
        String broken = BLOG_WITH_ACTIONS.replace("\"output\": \"Boolean!\"", "\"output\": \"Receipt\"");
        Response validation = send(sidecarA, "POST", "/metadata/validate", broken, SECRET, "application/json");
        assertEquals(200, validation.status(), validation.text());
        assertEquals(JSON.readTree("""
                {"valid": false, "problems": [{"object": "action confirm", "dependency": "type Receipt",
                  "reason": "no such type: not a built-in or Postgres scalar, nor a custom type (output)"}]}"""), validation.json());
        assertEquals(400, putDocument(broken).status());
        assertEquals(200, putDocument(BLOG_WITH_ACTIONS).status());
        assertEquals(JSON.readTree("{\"resource_version\": 1, \"live\": true, \"consistent\": true, \"inconsistencies\": []}"), get("/inconsistencies").json());
        db.execute("ALTER TABLE author RENAME COLUMN id TO ident");
        List<JsonNode> drift = new ArrayList<>();
        get("/inconsistencies").json().path("inconsistencies").forEach(drift::add);
        assertTrue(drift.contains(JSON.readTree("""
                {"object": "custom type Result, relationship author", "dependency": "column author.id", "reason": "the column does not exist"}""")),
                "drift reaches custom types' relationships too: " + drift);
    }

    @Test
    void actionAndCustomTypeResourcesAllowOnlyTheirMethods() throws Exception {
        Response list = send(sidecarA, "PUT", "/actions", "{}", SECRET, "application/json");
        assertEquals(405, list.status());
        assertEquals("GET", list.headers().firstValue("Allow").orElseThrow());
        Response one = send(sidecarA, "POST", "/custom-types/Email", "{}", SECRET, "application/json");
        assertEquals(405, one.status());
        assertEquals("DELETE, GET, PUT", one.headers().firstValue("Allow").orElseThrow());
    }
}
