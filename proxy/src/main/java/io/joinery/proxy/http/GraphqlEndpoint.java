package io.joinery.proxy.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.joinery.policies.AccessDenied;
import io.joinery.policies.Session;
import io.joinery.policies.SessionResolver;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.engine.GraphqlRequest;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.execute.Caller;
import io.joinery.proxy.response.Answer;
import io.joinery.proxy.response.ResponseWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code POST /v1/graphql} (one operation, or a JSON array of operations answered as an array,
 * both within {@link Limits}) and {@code POST /v1/graphql/explain} (admin only: the SQL and Postgres' plan per root field).
 */
public final class GraphqlEndpoint implements HttpService {

    /**
     * Decimals stay exact ({@code numeric} variables beyond a double's 16 digits), as integers already do;
     * anything after the JSON value but whitespace ({@code {"query": "..."} xyz}) makes the body invalid JSON;
     * buffers from the shared pool (Note [Jackson's buffers and virtual threads] in {@code response.ResultTranscoder}).
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String APPLICATION_JSON = "application/json; charset=utf-8";

    private final GraphqlEngine engine;
    private final SessionResolver sessions;
    private final Limits limits;
    private final ClientConnections clients;

    /** {@code clients}: the listener's view of its connections, so a request's statements stop when its client goes. */
    public GraphqlEndpoint(GraphqlEngine engine, SessionResolver sessions, Limits limits, ClientConnections clients) {
        this.engine = engine;
        this.sessions = sessions;
        this.limits = limits;
        this.clients = clients;
    }

    /**
     * {@code maxBatchSize}: operations in one batch (a larger batch is refused before any runs);
     * {@code maxResponseBytes}: the answer to a request, a batch's in total (a larger one is refused
     * and the answers built so far are dropped; the rest of a batch does not run).
     */
    public record Limits(int maxBatchSize, long maxResponseBytes) {
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::graphql)
                .post("/explain", this::explain);
    }

    private void graphql(ServerRequest request, ServerResponse response) {
        byte[] raw = body(request);
        Map<String, String> headers = headers(request);
        Session session;
        try {
            session = sessions.resolve(headers, () -> parseQuietly(raw));
        } catch (AccessDenied e) {
            send(response, Status.create(e.reason().status()), ResponseWriter.error(new JoineryException(ErrorCode.valueOf(e.reason().name()),
                    e.getMessage()), false));
            return;
        }
        JsonNode body;
        try {
            body = parse(raw);
        } catch (IOException e) {
            send(response, Status.BAD_REQUEST_400, ResponseWriter.error(new JoineryException(ErrorCode.INVALID_JSON,
                    "the request body is not valid JSON"), false));
            return;
        }
        try {
            send(response, Caller.during(clients.current(),
                    () -> body.isArray() ? Answer.of(batch(body, headers, session)) : single(body, headers, session)));
        } catch (JoineryException e) {
            send(response, Status.BAD_REQUEST_400, ResponseWriter.error(e, session.isAdmin()));
        }
    }

    /**
     * The request's body. With a Content-Length (the server has already refused one above
     * {@code JOINERY_MAX_REQUEST_BYTES}) it is read into an array of that size: reading to the end
     * allocates a 16 KB buffer first, for a body that is usually a few hundred bytes, on every request.
     */
    private static byte[] body(ServerRequest request) {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        long length = request.headers().contentLength().orElse(-1);
        if (length < 0 || length > Integer.MAX_VALUE) {
            return request.content().as(byte[].class);
        }
        try (InputStream in = request.content().inputStream()) {
            return in.readNBytes((int) length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Answer single(JsonNode body, Map<String, String> headers, Session session) {
        if (body.path("extensions").has("persistedQuery")) {
            return Answer.of(persistedQueryRefused(session));
        }
        Answer answer = engine.executeAnswer(request(body).withHeaders(headers), session);
        if (answer.length() > limits.maxResponseBytes()) {
            answer.drop();
            throw responseTooLarge();
        }
        return answer;
    }

    /**
     * Apollo's automatic persisted queries (a hash instead of the query text) are not served: an answer with
     * Hasura's error (status 200, as Hasura answers it), whatever the rest of the request.
     */
    private static byte[] persistedQueryRefused(Session session) {
        return utf8(ResponseWriter.error(new JoineryException(ErrorCode.NOT_SUPPORTED, "Automatic Persisted Queries is not enabled",
                "$", null), session.isAdmin()));
    }

    /** The answers of a batch as one JSON array, within the limits: all operations are read before any runs. */
    private byte[] batch(JsonNode body, Map<String, String> headers, Session session) {
        if (body.size() > limits.maxBatchSize()) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "the batch has " + body.size() + " operations; the limit is "
                    + limits.maxBatchSize(), "$", null);
        }
        List<GraphqlRequest> requests = new ArrayList<>(body.size());
        for (JsonNode item : body) {
            requests.add(request(item).withHeaders(headers));
        }
        List<byte[]> answers = new ArrayList<>(requests.size());
        long total = 2 + Math.max(0, requests.size() - 1);
        for (GraphqlRequest item : requests) {
            byte[] answer = engine.executeUtf8(item, session);
            total += answer.length;
            if (total > limits.maxResponseBytes()) {
                throw responseTooLarge();
            }
            answers.add(answer);
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        out[at++] = '[';
        for (int i = 0; i < answers.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            System.arraycopy(answers.get(i), 0, out, at, answers.get(i).length);
            at += answers.get(i).length;
        }
        out[at] = ']';
        return out;
    }

    private JoineryException responseTooLarge() {
        return new JoineryException(ErrorCode.VALIDATION_FAILED, "the response is larger than " + limits.maxResponseBytes() + " bytes", "$", null);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void explain(ServerRequest request, ServerResponse response) {
        String secret = request.headers().first(HeaderNames.create(SessionResolver.ADMIN_SECRET_HEADER)).orElse(null);
        if (!sessions.isAdminSecret(secret)) {
            send(response, Status.UNAUTHORIZED_401, ResponseWriter.error(new JoineryException(ErrorCode.ACCESS_DENIED,
                    "explain is for admins: send x-joinery-admin-secret"), false));
            return;
        }
        try {
            JsonNode body = readBody(request);
            if (!body.path("query").isObject()) {
                throw new JoineryException(ErrorCode.PARSE_FAILED, "expected {\"query\": {\"query\": ..., \"variables\": ...}, \"user\": {...}}", "$", null);
            }
            Map<String, String> user = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            body.path("user").properties().forEach(e -> user.put(e.getKey(), e.getValue().asText()));
            String role = user.getOrDefault(Session.ROLE, Session.ADMIN_ROLE);
            user.put(Session.ROLE, role);
            Session session = new Session(role, true, user);
            send(response, Status.OK_200, JSON.writeValueAsString(engine.explain(request(body.path("query")), session)));
        } catch (JoineryException e) {
            send(response, Status.BAD_REQUEST_400, ResponseWriter.error(e, true));
        } catch (IOException e) {
            send(response, Status.BAD_REQUEST_400, ResponseWriter.error(new JoineryException(ErrorCode.INVALID_JSON,
                    "the request body is not valid JSON"), true));
        }
    }

    /** The body as JSON; an empty or absent body is not JSON either (Helidon throws on reading a missing entity). */
    private static JsonNode readBody(ServerRequest request) throws IOException {
        return parse(request.content().hasEntity() ? request.content().as(byte[].class) : new byte[0]);
    }

    private static JsonNode parse(byte[] raw) throws IOException {
        JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
        if (body == null || body.isMissingNode()) {
            throw new IOException("the request body is empty");
        }
        return body;
    }

    /** The body for an authentication hook in POST mode: null when it is not JSON (the request then fails as invalid-json). */
    private static JsonNode parseQuietly(byte[] raw) {
        try {
            return parse(raw);
        } catch (IOException e) {
            return null;
        }
    }

    /** The client's headers by lower-case name: for the session, and for remote schemas that forward them. */
    private static Map<String, String> headers(ServerRequest request) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : request.headers()) {
            headers.put(header.name().toLowerCase(java.util.Locale.ROOT), header.get());
        }
        return headers;
    }

    /** {@code {"query": "...", "operationName": "...", "variables": {...}}}; anything else is parse-failed. */
    public static GraphqlRequest request(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new JoineryException(ErrorCode.PARSE_FAILED, "expected a JSON object {\"query\": ...}", "$", null);
        }
        JsonNode query = node.path("query");
        if (!query.isTextual()) {
            throw new JoineryException(ErrorCode.PARSE_FAILED, "the key 'query' must be a string", "$.query", null);
        }
        JsonNode name = node.path("operationName");
        if (!name.isMissingNode() && !name.isNull() && !name.isTextual()) {
            throw new JoineryException(ErrorCode.PARSE_FAILED, "the key 'operationName' must be a string", "$.operationName", null);
        }
        JsonNode variables = node.path("variables");
        if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
            throw new JoineryException(ErrorCode.PARSE_FAILED, "the key 'variables' must be an object", "$.variables", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = variables.isObject() ? (Map<String, Object>) plain(variables) : Map.of();
        return new GraphqlRequest(query.textValue(), name.isTextual() ? name.textValue() : null, values);
    }

    /**
     * The variables as {@code convertValue(node, Map.class)} gives them (objects as insertion-ordered maps, arrays as
     * lists, whole numbers as the smallest of Integer, Long and BigInteger that holds them, others as BigDecimal), walked
     * from the tree instead: {@code convertValue} writes the tree to a token buffer and reads it back, a measurable share
     * of a small mutation's CPU (MutationBenchmark, README "Mutations").
     */
    private static Object plain(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new java.util.LinkedHashMap<>(Math.max(4, node.size() * 2));
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    map.put(property.getKey(), plain(property.getValue()));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode element : node) {
                    list.add(plain(element));
                }
                yield list;
            }
            case STRING -> node.textValue();
            case NUMBER -> node.numberValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> JSON.convertValue(node, Object.class);
        };
    }

    private static void send(ServerResponse response, Status status, String body) {
        send(response, status, utf8(body));
    }

    private static void send(ServerResponse response, Status status, byte[] body) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, APPLICATION_JSON);
        response.send(body);
    }

    /**
     * An answer, status 200, handed to the server from the block it was written into: the server
     * copies it once behind the response's head and writes it before {@code send} returns; the block
     * goes back to the pool then (Note [Answers sent from their block] in {@code response.Answer}).
     */
    private static void send(ServerResponse response, Answer answer) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, APPLICATION_JSON);
        answer.sendTo(response::send);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
