package io.joinery.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One end-to-end case from a YAML file under {@code src/test/resources/cases/<suite>/}: a request, the
 * caller, and the answer expected. A file holds a list of cases, run in file order (so a file may send
 * the same query twice to show that a cached plan is not reused wrongly):
 *
 * <pre>
 * - name: _eq on an Int column            # the test's display name, with the file's
 *   query: |                              # the GraphQL document; or body: the exact body (a JSON value,
 *     { author(where: {id: {_eq: 2}}) { name } }   #  e.g. a batch array; a string is sent as raw text)
 *   variables: { id: 2 }                  # optional (a tree, or a string of JSON); operationName: optional
 *   headers: { x-joinery-role: user }     # optional; a null value drops a header
 *   anonymous: true                       # optional: send no admin secret (the unauthorized role)
 *   status: 200                           # optional, default 200
 *   response: { data: { author: [ { name: Alan } ] } }   # the whole answer: a tree, or a string of JSON
 *   error: { code: validation-failed, message: ..., message_contains: ..., path: ... }
 *                                         # or: exactly one error with this code (and message or path)
 *   statements: 1                         # optional: the statements Postgres must be sent (see below)
 * </pre>
 *
 * <p>The sidecar talks to Postgres through a {@link StatementRecorder} ({@link SidecarOnDatabase#recorded()}),
 * and each case asserts how many statements its request sent. Unless the case says {@code statements},
 * that is derived from the expected answer, one per operation (the suites' metadata has one source):
 * one for an operation answering a database root field (any root key but {@code __typename},
 * {@code __schema}, {@code __type}) or failing with {@code data-exception} (Postgres refused it), none
 * for introspection alone and for a request refused before execution (parse or validation errors).
 *
 * Answers are compared as JSON trees ({@link JsonTrees#difference}): whitespace and key order do not
 * matter, array order and number values do. Write a response as a JSON string when exact numbers
 * matter ({@code 1e-300}), since YAML reads some number forms as strings.
 */
public record EndToEndCase(String file, String name, JsonNode spec) {

    private static final String ROOT = "/cases/";
    private static final String DATA_EXCEPTION = "data-exception";
    private static final Set<String> INTROSPECTION_ROOTS = Set.of("__typename", "__schema", "__type");
    /** A GraphQL block string (group 1) or string (group 2, still escaped). */
    private static final Pattern GRAPHQL_STRING = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\]|\\\\.)*)\"", Pattern.DOTALL);

    /** Every case of every {@code .yaml} file under {@code cases/<suite>}, files in name order. */
    public static Stream<EndToEndCase> load(String suite) {
        URL url = EndToEndCase.class.getResource(ROOT + suite);
        if (url == null) {
            throw new IllegalArgumentException("no directory " + ROOT + suite + " on the test classpath");
        }
        List<EndToEndCase> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            Path root = Path.of(url.toURI());
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                cases.addAll(read(root.relativize(file).toString(), file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (cases.isEmpty()) {
            throw new IllegalStateException("no cases under " + ROOT + suite);
        }
        return cases.stream();
    }

    private static List<EndToEndCase> read(String name, Path file) throws IOException {
        JsonNode document = JsonTrees.YAML.readTree(file.toFile());
        if (document == null || !document.isArray()) {
            throw new IllegalStateException(file + ": expected a list of cases");
        }
        List<EndToEndCase> cases = new ArrayList<>();
        for (JsonNode spec : document) {
            if (!spec.path("name").isTextual()) {
                throw new IllegalStateException(file + ": a case without a name: " + spec);
            }
            if (spec.has("response") == spec.has("error")) {
                throw new IllegalStateException(file + ", " + spec.get("name").asText() + ": give exactly one of response or error");
            }
            cases.add(new EndToEndCase(name, spec.get("name").asText(), spec));
        }
        return cases;
    }

    /**
     * Sends the request with {@code served}'s client (which carries the admin secret), checks the answer
     * and the number of statements Postgres was sent; returns those statements' texts.
     */
    public List<String> run(SidecarOnDatabase served) {
        StatementRecorder recorder = served.recorder();
        int before = recorder.executed().size();
        String context = send(served.client());
        List<String> statements = recorder.executedSince(before);
        assertEquals(expectedStatements(), statements.size(), "statements sent to Postgres for " + context + "\n  statements: " + statements);
        return statements;
    }

    /**
     * Every string of the request that could break out of a SQL literal (it holds a quote or a semicolon):
     * values and keys of the variables, string literals of the query, header values and the operation name.
     * Each must reach Postgres as a bind parameter, never in the text of a statement.
     */
    public Set<String> payloads() {
        JsonNode body = spec.get("body");
        List<JsonNode> operations = new ArrayList<>();
        if (body == null) {
            operations.add(request());
        } else if (body.isArray()) {
            body.forEach(operations::add);
        } else if (body.isObject()) {
            operations.add(body);
        }
        Set<String> strings = new LinkedHashSet<>();
        for (JsonNode operation : operations) {
            collectStrings(operation.path("variables"), strings);
            collectStrings(operation.path("operationName"), strings);
            Matcher literal = GRAPHQL_STRING.matcher(operation.path("query").asText());
            while (literal.find()) {
                strings.add(literal.group(1) != null ? literal.group(1) : literal.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
        }
        spec.path("headers").forEach(value -> strings.add(value.asText()));
        strings.removeIf(text -> text.indexOf('\'') < 0 && text.indexOf(';') < 0);
        return strings;
    }

    private static void collectStrings(JsonNode node, Set<String> into) {
        if (node.isTextual()) {
            into.add(node.textValue());
        }
        node.properties().forEach(field -> {
            into.add(field.getKey());
            collectStrings(field.getValue(), into);
        });
        if (node.isArray()) {
            node.forEach(element -> collectStrings(element, into));
        }
    }

    private int expectedStatements() {
        if (spec.has("statements")) {
            return spec.get("statements").asInt();
        }
        if (spec.has("error")) {
            return DATA_EXCEPTION.equals(spec.get("error").path("code").asText()) ? 1 : 0;
        }
        JsonNode response = expectedResponse();
        if (!response.isArray()) {
            return statementsOf(response);
        }
        int statements = 0;
        for (JsonNode operation : response) {
            statements += statementsOf(operation);
        }
        return statements;
    }

    /** One statement for an operation that answers a database root field or that Postgres refused. */
    private static int statementsOf(JsonNode answer) {
        for (JsonNode error : answer.path("errors")) {
            if (DATA_EXCEPTION.equals(error.path("extensions").path("code").asText())) {
                return 1;
            }
        }
        for (Map.Entry<String, JsonNode> root : answer.path("data").properties()) {
            if (!INTROSPECTION_ROOTS.contains(root.getKey())) {
                return 1;
            }
        }
        return 0;
    }

    /** Sends the request and checks the answer; returns the request and answer, for messages. */
    private String send(GraphqlClient client) {
        GraphqlClient caller = client.withHeaders(headers());
        JsonNode body = spec.get("body");
        GraphqlClient.GraphqlResponse answer = body == null ? caller.post(request())
                : body.isTextual() ? caller.postText(body.textValue()) : caller.post(body);
        String context = this + "\n  request: " + (body != null ? body : JsonTrees.write(request())) + "\n  answer: " + answer;
        assertEquals(spec.path("status").asInt(200), answer.status(), "HTTP status of " + context);
        JsonNode actual = answer.json();
        if (spec.has("response")) {
            JsonTrees.assertJsonEquals(expectedResponse(), actual, context);
        } else {
            assertError(spec.get("error"), actual, context);
        }
        return context;
    }

    private ObjectNode request() {
        ObjectNode request = JsonTrees.JSON.createObjectNode();
        request.put("query", spec.path("query").asText());
        JsonNode variables = spec.get("variables");
        if (variables != null) {
            request.set("variables", variables.isTextual() ? JsonTrees.parse(variables.textValue()) : variables);
        }
        if (spec.has("operationName")) {
            request.set("operationName", spec.get("operationName"));
        }
        return request;
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (spec.path("anonymous").asBoolean(false)) {
            headers.put("x-joinery-admin-secret", null);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = spec.path("headers").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> header = fields.next();
            headers.put(header.getKey(), header.getValue().isNull() ? null : header.getValue().asText());
        }
        return headers;
    }

    private JsonNode expectedResponse() {
        JsonNode response = spec.get("response");
        return response.isTextual() ? JsonTrees.parse(response.textValue()) : response;
    }

    private static void assertError(JsonNode expected, JsonNode actual, String context) {
        assertFalse(actual.has("data"), "a failed request has no data: " + context);
        JsonNode errors = actual.path("errors");
        assertTrue(errors.isArray() && errors.size() == 1, "exactly one error: " + context);
        JsonNode error = errors.get(0);
        assertEquals(expected.path("code").asText(), error.path("extensions").path("code").asText(), "error code of " + context);
        if (expected.has("message")) {
            assertEquals(expected.get("message").asText(), error.path("message").asText(), "error message of " + context);
        }
        if (expected.has("message_contains")) {
            String part = expected.get("message_contains").asText();
            assertTrue(error.path("message").asText().contains(part), "error message containing '" + part + "' of " + context);
        }
        if (expected.has("path")) {
            assertEquals(expected.get("path").asText(), error.path("extensions").path("path").asText(), "error path of " + context);
        }
    }

    @Override
    public String toString() {
        return file + " › " + name;
    }
}
