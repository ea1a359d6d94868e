package io.joinery.proxy.action.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.RequestTransform;
import io.joinery.admin.metadata.ResponseTransform;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionTransformsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The default request of an action {@code getUser(id: 7, fields: "name,email")} by user 42. */
    private static final DefaultRequest ORIGINAL = new DefaultRequest(URI.create("http://users.test/api"),
            Map.of("X-Api-Key", "secret"), (ObjectNode) json("""
                    {"action": {"name": "getUser"}, "input": {"id": 7, "fields": "name,email", "name": "Ada Lovelace", "note": null},
                     "session_variables": {"x-hasura-role": "user", "x-hasura-user-id": "42"},
                     "request_query": "query { getUser(id: 7) { id } }"}"""));

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ActionTransforms request(String transform) {
        return ActionTransforms.compile(MetadataCodec.convert(json(transform), RequestTransform.class), null);
    }

    private static ActionTransforms response(String request, String response) {
        return ActionTransforms.compile(request == null ? null : MetadataCodec.convert(json(request), RequestTransform.class),
                MetadataCodec.convert(json(response), ResponseTransform.class));
    }

    private static String text(byte[] body) {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void withoutTransformsTheDefaultRequestGoesAsItIs() {
        ActionTransforms none = ActionTransforms.compile(null, null);
        assertSame(ActionTransforms.NONE, none);
        assertFalse(none.transformsRequest());
        assertEquals("POST", none.method());
        OutgoingRequest sent = none.request(ORIGINAL);
        assertEquals("POST", sent.method());
        assertEquals(ORIGINAL.url(), sent.url());
        assertEquals(Map.of("Content-Type", "application/json", "X-Api-Key", "secret"), sent.headers());
        assertEquals(ORIGINAL.payload(), json(text(sent.body())));
        byte[] answer = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
        assertSame(answer, none.response(ORIGINAL, 200, answer));
    }

    @Test
    void aGetWithPathAndQueryParametersAndNoBody() {
        ActionTransforms get = request("""
                {"version": 2, "method": "GET", "url": "{{$base_url}}/users/{{$body.input.id}}",
                 "query_params": {"fields": "{{$body.input.fields}}", "by": "{{$session_variables['x-hasura-user-id']}}", "verbose": null,
                                  "note": "{{$body.input.note}}"},
                 "body": {"action": "remove"}, "request_headers": {"remove_headers": ["content-type"]}}""");
        assertEquals("GET", get.method(), "known before the call, for its span");
        OutgoingRequest sent = get.request(ORIGINAL);
        assertEquals("GET", sent.method());
        assertEquals(URI.create("http://users.test/api/users/7?fields=name%2Cemail&by=42&verbose"), sent.url(),
                "a null value is a bare name; a value rendered as null leaves the parameter out");
        assertNull(sent.body());
        assertEquals(Map.of("X-Api-Key", "secret"), sent.headers());
    }

    @Test
    void aQueryStringTemplateReplacesTheHandlersQuery() {
        DefaultRequest withQuery = new DefaultRequest(URI.create("http://users.test/api?old=1"), Map.of(), ORIGINAL.payload());
        OutgoingRequest sent = request("{\"query_params\": \"id={{$body.input.id}}&name={{escapeUri($body.input.name)}}&flag\"}")
                .request(withQuery);
        assertEquals(URI.create("http://users.test/api?id=7&name=Ada%20Lovelace&flag"), sent.url());
        assertEquals("POST", sent.method(), "the method is the default one");
    }

    @Test
    void theHandlersQueryIsQueryParams() {
        DefaultRequest withQuery = new DefaultRequest(URI.create("http://users.test/api?a=1&b=x%20y"), Map.of(), ORIGINAL.payload());
        OutgoingRequest sent = request("{\"body\": {\"action\": \"transform\", \"template\": \"{{$query_params}}\"}}").request(withQuery);
        assertEquals(json("[[\"a\", \"1\"], [\"b\", \"x y\"]]"), json(text(sent.body())));
        assertEquals(URI.create("http://users.test/api?a=1&b=x%20y"), sent.url(), "without query_params the URL keeps its query");
    }

    @Test
    void headersAreRemovedThenAddedOrReplaced() {
        OutgoingRequest sent = request("""
                {"request_headers": {"remove_headers": ["x-api-key"],
                  "add_headers": {"Authorization": "Bearer {{getSessionVariable(\\"X-Hasura-User-Id\\")}}", "content-type": "application/vnd.x+json"}}}""")
                .request(ORIGINAL);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Authorization", "Bearer 42");
        expected.put("content-type", "application/vnd.x+json");
        assertEquals(expected, sent.headers());
        assertEquals("application/vnd.x+json", sent.header("Content-Type"));
    }

    @Test
    void joinerysSessionVariablesAnswerToTheirHasuraNamesToo() {
        DefaultRequest joinery = new DefaultRequest(URI.create("http://users.test/api"), Map.of(), (ObjectNode) json("""
                {"action": {"name": "a"}, "input": {}, "session_variables": {"x-joinery-role": "user", "x-joinery-user-id": "42"}}"""));
        OutgoingRequest sent = request("""
                {"url": "{{$base_url}}/{{$session_variables['x-hasura-user-id']}}/{{getSessionVariable('X-Hasura-Role')}}",
                 "body": "{{$session_variables}}"}""").request(joinery);
        assertEquals(URI.create("http://users.test/api/42/user"), sent.url());
        assertEquals(json("{\"x-joinery-role\": \"user\", \"x-joinery-user-id\": \"42\", \"x-hasura-role\": \"user\", \"x-hasura-user-id\": \"42\"}"),
                json(text(sent.body())));
    }

    @Test
    void aJsonBodyTemplate() {
        OutgoingRequest sent = request("""
                {"version": 2, "method": "put", "body": {"action": "transform", "template":
                  "{\\"user\\": {\\"id\\": {{$body.input.id}}, \\"name\\": {{toUpper($body.input.name)}}}, \\"by\\": {{$session_variables['x-hasura-user-id']}}}"}}""")
                .request(ORIGINAL);
        assertEquals("PUT", sent.method());
        assertEquals(json("{\"user\": {\"id\": 7, \"name\": \"ADA LOVELACE\"}, \"by\": \"42\"}"), json(text(sent.body())));
        assertEquals("application/json", sent.header("Content-Type"));
    }

    @Test
    void aVersion1BodyIsTheTemplateItself() {
        OutgoingRequest sent = request("{\"body\": \"{{$body.input}}\"}").request(ORIGINAL);
        assertEquals(ORIGINAL.payload().get("input"), json(text(sent.body())));
    }

    @Test
    void aFormBodyIsEncodedAndSentAsAForm() {
        OutgoingRequest sent = request("""
                {"version": 2, "body": {"action": "x_www_form_urlencoded",
                  "form_template": {"name": "{{$body.input.name}}", "id": "{{$body.input.id}}", "q&a": "a=b&c"}}}""").request(ORIGINAL);
        assertEquals("name=Ada%20Lovelace&id=7&q%26a=a%3Db%26c", text(sent.body()));
        assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type"));
    }

    @Test
    void aFormBodyKeepsAContentTypeTheTransformSets() {
        OutgoingRequest sent = request("""
                {"request_headers": {"remove_headers": ["content-type"], "add_headers": {"content-type": "application/x-www-form-urlencoded; charset=utf-8"}},
                 "body": {"action": "x_www_form_urlencoded", "form_template": {"id": "{{$body.input.id}}"}}}""").request(ORIGINAL);
        assertEquals("application/x-www-form-urlencoded; charset=utf-8", sent.header("content-type"));
        assertEquals(1, sent.headers().keySet().stream().filter(name -> name.equalsIgnoreCase("content-type")).count());
    }

    @Test
    void aVersion1FormContentTypeSendsTheTemplatesObjectAsAForm() {
        OutgoingRequest sent = request("""
                {"content_type": "application/x-www-form-urlencoded", "body": "{\\"id\\": {{$body.input.id}}, \\"name\\": {{$body.input.name}}, \\"none\\": null}"}""")
                .request(ORIGINAL);
        assertEquals("id=7&name=Ada%20Lovelace", text(sent.body()));
        assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type"));
    }

    @Test
    void aUrlTemplateThatGivesNoUrlIsAnError() {
        TransformException e = assertThrows(TransformException.class,
                () -> request("{\"url\": \"{{$body.input.name}}\"}").request(ORIGINAL));
        assertEquals("request_transform.url", e.where());
        assertEquals("request_transform.url: the template gave 'Ada Lovelace', which is not an absolute http(s) URL", e.getMessage());
    }

    @Test
    void aTemplateFailingOnThisCallNamesItselfAndItsPosition() {
        TransformException e = assertThrows(TransformException.class, () -> request("""
                {"body": {"action": "transform", "template": "{\\n  \\"id\\": {{$body.input.missing}}\\n}"}}""").request(ORIGINAL));
        assertEquals("request_transform.body.template", e.where());
        assertEquals("request_transform.body.template: the object has no field 'missing' (line 2, column 22)", e.getMessage());
        TransformException session = assertThrows(TransformException.class,
                () -> request("{\"url\": \"{{$base_url}}/{{getSessionVariable('x-hasura-org')}}\"}").request(ORIGINAL));
        assertTrue(session.getMessage().contains("session variable \"x-hasura-org\" not found"), session.getMessage());
    }

    @Test
    void aTemplateThatDoesNotParseFailsTheCompilation() {
        TransformException e = assertThrows(TransformException.class, () -> request("{\"url\": \"{{$base_url\"}"));
        assertEquals("request_transform.url", e.where());
        assertTrue(e.getMessage().endsWith("(line 1, column 12)"), e.getMessage());
    }

    @Test
    void aResponseTemplateSeesTheAnswerAndTheStatus() {
        ActionTransforms transforms = response(null, """
                {"version": 2, "body": {"action": "transform", "template":
                  "{{ if $response.status == 200 }} {\\"id\\": {{$body.user.id}}, \\"name\\": {{$body.user.full_name}}, \\"request\\": {{$request}}} {{ else }} {\\"message\\": {{$body.error}}} {{ end }}"}}""");
        assertTrue(transforms.transformsResponse());
        assertFalse(transforms.transformsRequest());
        byte[] ok = transforms.response(ORIGINAL, 200, "{\"user\": {\"id\": 7, \"full_name\": \"Ada\"}}".getBytes(StandardCharsets.UTF_8));
        assertEquals(json("{\"id\": 7, \"name\": \"Ada\", \"request\": null}"), json(text(ok)), "$request is null without a request transform");
        byte[] refused = transforms.response(ORIGINAL, 400, "{\"error\": \"no such user\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(json("{\"message\": \"no such user\"}"), json(text(refused)));
    }

    @Test
    void aResponseTemplateSeesTheRequestContextAndNullForAnAnswerThatIsNotJson() {
        ActionTransforms transforms = response("{\"method\": \"GET\"}", """
                {"body": "{\\"base\\": {{$request.url.base_url}}, \\"input\\": {{$request.body.body.input.id}}, \\"user\\": {{getSessionVariable('x-hasura-user-id')}}, \\"answer\\": {{$body}}}"}""");
        byte[] answer = transforms.response(ORIGINAL, 502, "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(json("{\"base\": \"http://users.test/api\", \"input\": 7, \"user\": \"42\", \"answer\": null}"), json(text(answer)));
    }

    @Test
    void aResponseBodyRemovedIsNull() {
        ActionTransforms transforms = response(null, "{\"version\": 2, \"body\": {\"action\": \"remove\"}}");
        assertEquals("null", text(transforms.response(ORIGINAL, 200, "{\"a\": 1}".getBytes(StandardCharsets.UTF_8))));
    }
}
