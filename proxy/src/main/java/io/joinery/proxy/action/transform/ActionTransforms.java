package io.joinery.proxy.action.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.joinery.admin.metadata.BodyTransform;
import io.joinery.admin.metadata.HeaderTransform;
import io.joinery.admin.metadata.QueryParams;
import io.joinery.admin.metadata.RequestTransform;
import io.joinery.admin.metadata.ResponseTransform;
import io.joinery.kriti.KritiException;
import io.joinery.kriti.KritiFunction;
import io.joinery.kriti.Template;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One action's request and response transforms, compiled: every Kriti template is parsed once,
 * when the engine's state is built, and rendered per call against Hasura's context.
 *
 * <p>Note [Transform context]: as in Hasura, a request template sees {@code $body} (the default
 * payload), {@code $base_url} (the handler's URL), {@code $session_variables} and
 * {@code $query_params} (the handler URL's query as {@code [[name, value]]}); a response template
 * sees {@code $body} (the handler's answer, null when it is not JSON), {@code $request} (the request
 * context, null without a request transform) and {@code $response.status}. Both may call
 * {@code getSessionVariable(name)} (case-insensitive) besides Kriti's basic functions. Session
 * variables answer to their Hasura names too (Note [Hasura's session variable names]).
 *
 * <p>Note [Transformed request]: each part left out keeps the default request's (POST, the handler
 * URL, {@code Content-Type: application/json}, the JSON payload). {@code query_params} replaces the
 * URL's query string. {@code remove_headers} applies before {@code add_headers}, which replaces a
 * header of the same name. A form body ({@code x_www_form_urlencoded}, or version 1's
 * {@code content_type: application/x-www-form-urlencoded}) is sent as
 * {@code application/x-www-form-urlencoded} unless the transform sets another content type itself
 * (Hasura leaves that header to the transform; sending a form as JSON is never what is meant).
 */
public final class ActionTransforms {

    /** No transform: the default request goes as it is, the answer is read as it is. */
    public static final ActionTransforms NONE = new ActionTransforms(null, null, null);

    static final String CONTENT_TYPE = "Content-Type";
    static final String JSON_CONTENT_TYPE = "application/json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOINERY_PREFIX = "x-joinery-";
    private static final String HASURA_PREFIX = "x-hasura-";

    private final CompiledRequest request;
    private final Body response;
    /** Why the transforms did not compile, or null. */
    private final TransformException failure;

    private ActionTransforms(CompiledRequest request, Body response, TransformException failure) {
        this.request = request;
        this.response = response;
        this.failure = failure;
    }

    /** Transforms that did not compile: every call fails with {@code failure} before anything is sent. */
    public static ActionTransforms failing(TransformException failure) {
        return new ActionTransforms(null, null, failure);
    }

    /**
     * Parses every template of the transforms (either may be null). A template that does not parse
     * throws {@link TransformException}; the consistency checks refuse such metadata, so this only
     * happens to a document that bypassed them.
     */
    public static ActionTransforms compile(RequestTransform request, ResponseTransform response) {
        if (request == null && (response == null || response.body() == null)) {
            return NONE;
        }
        return new ActionTransforms(request == null ? null : CompiledRequest.of(request),
                response == null || response.body() == null ? null : Body.of("response_transform.body", response.body(), false), null);
    }

    /** The HTTP method of every call: a request transform's, else POST (a span's name, before the call). */
    public String method() {
        return request != null && request.method != null ? request.method : "POST";
    }

    public boolean transformsRequest() {
        return request != null || failure != null;
    }

    public boolean transformsResponse() {
        return response != null;
    }

    // ---- requests

    /** The request to send instead of {@code original}; throws {@link TransformException} when a template fails on this call. */
    public OutgoingRequest request(DefaultRequest original) {
        if (failure != null) {
            throw failure;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CONTENT_TYPE, JSON_CONTENT_TYPE);
        original.headers().forEach((name, value) -> put(headers, name, value));
        if (request == null) {
            return new OutgoingRequest("POST", original.url(), headers, bytes(original.payload()));
        }
        Context context = Context.request(original);
        URI url = request.url == null ? original.url() : url(context.render("request_transform.url", request.url));
        if (request.query != null) {
            url = withQuery(url, request.query.render(context));
        }
        request.removeHeaders.forEach(name -> headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name)));
        request.addHeaders.forEach((name, template) ->
                put(headers, name, context.render("request_transform.request_headers.add_headers." + name, template).textValue()));
        byte[] body = bytes(original.payload());
        if (request.body != null) {
            Rendered rendered = request.body.render(context);
            body = rendered.body();
            if (rendered.form()) {
                String type = header(headers, CONTENT_TYPE);
                if (type == null || type.equalsIgnoreCase(JSON_CONTENT_TYPE)) {
                    put(headers, CONTENT_TYPE, RequestTransform.FORM_CONTENT_TYPE);
                }
            }
        }
        return new OutgoingRequest(request.method == null ? "POST" : request.method, url, headers, body);
    }

    private static URI url(JsonNode rendered) {
        String text = rendered.textValue();
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new TransformException("request_transform.url", "the template gave '" + text + "', which is not an absolute http(s) URL");
    }

    /** {@code url} with its query string replaced by {@code query} (none when empty). */
    private static URI withQuery(URI url, String query) {
        String base = url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
        return URI.create(query.isEmpty() ? base : base + "?" + query);
    }

    private static void put(Map<String, String> headers, String name, String value) {
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        headers.put(name, value);
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    // ---- answers

    /**
     * The handler's answer as the engine reads it: {@code body} rewritten by the response template
     * (whatever the status, as in Hasura), or {@code body} itself without one.
     */
    public byte[] response(DefaultRequest original, int status, byte[] body) {
        if (response == null) {
            return body;
        }
        JsonNode answer;
        try {
            answer = body.length == 0 ? NullNode.getInstance() : JSON.readTree(body);
        } catch (IOException e) {
            answer = NullNode.getInstance();
        }
        Context context = Context.response(answer, request == null ? NullNode.getInstance() : Context.requestContext(original),
                status, Context.sessionVariables(original));
        Rendered rendered = response.render(context);
        if (rendered.body() == null) {
            return bytes(NullNode.getInstance());
        }
        return rendered.form() ? bytes(TextNode.valueOf(new String(rendered.body(), StandardCharsets.UTF_8))) : rendered.body();
    }

    static byte[] bytes(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- compiled parts

    /** A request transform with its templates parsed. */
    private record CompiledRequest(String method, Template url, Query query, List<String> removeHeaders,
                                   Map<String, Template> addHeaders, Body body) {

        static CompiledRequest of(RequestTransform transform) {
            String where = "request_transform";
            Template url = transform.url() == null ? null : interpolation(where + ".url", transform.url());
            Query query = transform.queryParams() == null ? null : Query.of(transform.queryParams());
            HeaderTransform headers = transform.requestHeaders();
            Map<String, Template> add = new LinkedHashMap<>();
            if (headers != null) {
                headers.addHeaders().forEach((name, value) -> add.put(name, interpolation(where + ".request_headers.add_headers." + name, value)));
            }
            boolean form = RequestTransform.FORM_CONTENT_TYPE.equals(transform.contentType());
            Body body = transform.body() == null ? null : Body.of(where + ".body", transform.body(), form);
            return new CompiledRequest(transform.method(), url, query, headers == null ? List.of() : headers.removeHeaders(), add, body);
        }
    }

    /** {@code query_params}: named parameters, or one template of the whole query string. */
    private record Query(List<Param> params, Template whole) {

        record Param(String name, Template key, Template value) {
        }

        static Query of(QueryParams params) {
            String where = "request_transform.query_params";
            if (params.template() != null) {
                return new Query(null, interpolation(where, params.template()));
            }
            List<Param> compiled = new ArrayList<>();
            params.params().forEach((name, value) -> compiled.add(new Param(name, interpolation(where + " name '" + name + "'", name),
                    value == null ? null : interpolation(where + "." + name, value))));
            return new Query(compiled, null);
        }

        /** The query string, encoded; Hasura leaves out a parameter whose name or value renders as {@code null}. */
        String render(Context context) {
            String where = "request_transform.query_params";
            List<String> pairs = new ArrayList<>();
            if (whole != null) {
                for (String[] pair : Percent.parseQuery(context.render(where, whole).textValue())) {
                    pairs.add(Percent.encode(pair[0]) + (pair[1] == null ? "" : "=" + Percent.encode(pair[1])));
                }
                return String.join("&", pairs);
            }
            for (Param param : params) {
                String key = context.render(where + " name '" + param.name() + "'", param.key()).textValue();
                String value = param.value() == null ? null : context.render(where + "." + param.name(), param.value()).textValue();
                if (key.equals("null") || "null".equals(value)) {
                    continue;
                }
                pairs.add(Percent.encode(key) + (value == null ? "" : "=" + Percent.encode(value)));
            }
            return String.join("&", pairs);
        }
    }

    /** A rendered body: its bytes (null: no body) and whether it is a form. */
    private record Rendered(byte[] body, boolean form) {
    }

    /** A body transform with its templates parsed; {@code jsonAsForm}: version 1's form content type. */
    private sealed interface Body {

        Rendered render(Context context);

        static Body of(String where, BodyTransform body, boolean jsonAsForm) {
            return switch (body.action()) {
                case BodyTransform.REMOVE -> new Removed();
                case BodyTransform.FORM -> {
                    Map<String, Template> fields = new LinkedHashMap<>();
                    body.formTemplate().forEach((field, value) -> fields.put(field, interpolation(where + ".form_template." + field, value)));
                    yield new Form(where, fields);
                }
                default -> new Json(where + ".template", template(where + ".template", body.template()), jsonAsForm);
            };
        }

        record Removed() implements Body {
            @Override
            public Rendered render(Context context) {
                return new Rendered(null, false);
            }
        }

        record Json(String where, Template template, boolean asForm) implements Body {
            @Override
            public Rendered render(Context context) {
                JsonNode value = context.render(where, template);
                if (!asForm) {
                    return new Rendered(bytes(value), false);
                }
                if (!value.isObject()) {
                    throw new TransformException(where, "a form body (content_type " + RequestTransform.FORM_CONTENT_TYPE
                            + ") is an object of fields, not " + value.getNodeType().toString().toLowerCase(Locale.ROOT));
                }
                List<String> pairs = new ArrayList<>();
                value.properties().forEach(field -> {
                    if (!field.getValue().isNull()) {
                        String text = field.getValue().isTextual() ? field.getValue().textValue() : field.getValue().toString();
                        pairs.add(Percent.encode(field.getKey()) + "=" + Percent.encode(text));
                    }
                });
                return new Rendered(String.join("&", pairs).getBytes(StandardCharsets.UTF_8), true);
            }
        }

        record Form(String where, Map<String, Template> fields) implements Body {
            @Override
            public Rendered render(Context context) {
                List<String> pairs = new ArrayList<>();
                fields.forEach((field, template) -> pairs.add(Percent.encode(field) + "="
                        + Percent.encode(context.render(where + ".form_template." + field, template).textValue())));
                return new Rendered(String.join("&", pairs).getBytes(StandardCharsets.UTF_8), true);
            }
        }
    }

    private static Template template(String where, String text) {
        try {
            return Template.parse(text);
        } catch (KritiException e) {
            throw new TransformException(where, e);
        }
    }

    private static Template interpolation(String where, String text) {
        try {
            return Template.parseInterpolation(text);
        } catch (KritiException e) {
            throw new TransformException(where, e);
        }
    }

    // ---- the values templates see

    /** Note [Transform context]: one call's variables and functions. */
    private record Context(Map<String, JsonNode> variables, Map<String, KritiFunction> functions) {

        static Context request(DefaultRequest original) {
            return new Context(requestVariables(original), functions(sessionVariables(original)));
        }

        static Context response(JsonNode body, JsonNode request, int status, JsonNode sessionVariables) {
            ObjectNode response = JSON.createObjectNode().put("status", status);
            return new Context(Map.of("$body", body, "$request", request, "$response", response), functions(sessionVariables));
        }

        private static Map<String, JsonNode> requestVariables(DefaultRequest original) {
            return Map.of("$body", original.payload(), "$session_variables", sessionVariables(original),
                    "$base_url", TextNode.valueOf(original.url().toString()), "$query_params", queryParams(original.url()));
        }

        /**
         * Note [Hasura's session variable names]: the session's variables, each {@code x-joinery-*}
         * also under its Hasura name {@code x-hasura-*}, so that a template written for Hasura
         * ({@code $session_variables['x-hasura-user-id']}) reads the same value unchanged.
         */
        static JsonNode sessionVariables(DefaultRequest original) {
            JsonNode variables = original.payload().get("session_variables");
            ObjectNode all = JSON.createObjectNode();
            if (variables == null || !variables.isObject()) {
                return all;
            }
            all.setAll((ObjectNode) variables);
            for (Map.Entry<String, JsonNode> variable : variables.properties()) {
                String name = variable.getKey().toLowerCase(Locale.ROOT);
                if (name.startsWith(JOINERY_PREFIX) && !variables.has(HASURA_PREFIX + name.substring(JOINERY_PREFIX.length()))) {
                    all.set(HASURA_PREFIX + name.substring(JOINERY_PREFIX.length()), variable.getValue());
                }
            }
            return all;
        }

        /** Hasura's {@code $request}: the request context under each part's name. */
        static JsonNode requestContext(DefaultRequest original) {
            ObjectNode context = JSON.createObjectNode();
            requestVariables(original).forEach((name, value) -> context.set(name.substring(1), value));
            ObjectNode request = JSON.createObjectNode();
            for (String part : List.of("method", "url", "body", "query_params", "request_headers")) {
                request.set(part, context);
            }
            return request;
        }

        private static JsonNode queryParams(URI url) {
            ArrayNode pairs = JSON.createArrayNode();
            for (String[] pair : Percent.parseQuery(url.getRawQuery() == null ? "" : url.getRawQuery())) {
                pairs.addArray().add(pair[0]).add(pair[1]);
            }
            return pairs;
        }

        /** {@code getSessionVariable(name)}: the session variable, in any case; null for null; an error when there is none. */
        private static Map<String, KritiFunction> functions(JsonNode sessionVariables) {
            KritiFunction get = name -> {
                if (name.isNull()) {
                    return NullNode.getInstance();
                }
                if (!name.isTextual()) {
                    throw new IllegalArgumentException("a session variable's name is a string");
                }
                for (Map.Entry<String, JsonNode> variable : sessionVariables.properties()) {
                    if (variable.getKey().equalsIgnoreCase(name.textValue())) {
                        return variable.getValue();
                    }
                }
                throw new IllegalArgumentException("session variable \"" + name.textValue() + "\" not found");
            };
            return Map.of("getSessionVariable", get);
        }

        JsonNode render(String where, Template template) {
            try {
                return template.render(variables, functions);
            } catch (KritiException e) {
                throw new TransformException(where, e);
            }
        }
    }
}
