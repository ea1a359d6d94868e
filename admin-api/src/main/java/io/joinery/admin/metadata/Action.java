package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A root field answered by an HTTP handler, as in Hasura: its arguments and output are GraphQL
 * type references to built-in scalars, the Postgres scalars the engine generates and the
 * document's {@link CustomType}s.
 *
 * <pre>
 * actions:
 *   - name: createOrder
 *     kind: mutation                          # query | mutation (default)
 *     arguments: { input: "OrderInput!" }     # name: GraphQL type, in order
 *     output: OrderResult                     # e.g. "[OrderResult!]!"
 *     handler: { from_env: ORDERS_URL }       # or a literal http(s) URL
 *     headers: { X-Api-Key: { from_env: ORDERS_KEY }, X-Client: joinery }
 *     forward_client_headers: false
 *     timeout_seconds: 30                     # default 30
 *     roles: [user]                           # the roles that may call it
 *     comment: Places an order
 *     request_transform: { method: GET, url: "{{$base_url}}/orders/{{$body.input.id}}" }   # Hasura's, in Kriti
 *     response_transform: { body: { action: transform, template: "{{$body.order}}" } }
 *     asynchronous: false                     # true: the mutation answers an action id at once (Hasura's kind: asynchronous)
 * </pre>
 *
 * <p>The engine serves each action as a root field of the roles it names (the proxy's
 * {@code io.joinery.proxy.action} package). Shape errors (no name, no output, no handler, an unknown
 * {@code kind}) make the document malformed; everything checked against the rest of the document
 * (type references, role names, the handler URL, the timeout) is reported by the consistency
 * checks.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Action(
        @JsonProperty("name") String name,
        @JsonProperty("kind") String kind,
        @JsonProperty("arguments") Map<String, String> arguments,
        @JsonProperty("output") String output,
        @JsonProperty("handler") ValueFrom handler,
        @JsonProperty("headers") Map<String, ValueFrom> headers,
        @JsonProperty("forward_client_headers") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean forwardClientHeaders,
        @JsonProperty("timeout_seconds") @JsonInclude(JsonInclude.Include.NON_NULL) Integer timeoutSeconds,
        @JsonProperty("roles") List<String> roles,
        @JsonProperty("comment") String comment,
        @JsonProperty("request_transform") RequestTransform requestTransform,
        @JsonProperty("response_transform") ResponseTransform responseTransform,
        @JsonProperty("asynchronous") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean asynchronous) {

    public static final String QUERY = "query";
    public static final String MUTATION = "mutation";
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;

    @JsonCreator
    public Action {
        if (name == null || name.isBlank()) {
            throw new MetadataException("an action needs a name");
        }
        if (kind != null && !kind.equals(QUERY) && !kind.equals(MUTATION)) {
            throw new MetadataException("action '" + name + "': kind is 'query' or 'mutation', not '" + kind + "'");
        }
        if (output == null || output.isBlank()) {
            throw new MetadataException("action '" + name + "' needs an output type");
        }
        if (handler == null) {
            throw new MetadataException("action '" + name + "' needs a handler: its URL, or {from_env: NAME}");
        }
        arguments = arguments == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        arguments.forEach((argument, type) -> {
            if (type == null || type.isBlank()) {
                throw new MetadataException("action '" + name + "': argument '" + argument + "' needs a type");
            }
        });
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (roles != null && roles.stream().anyMatch(Objects::isNull)) {
            throw new MetadataException("action '" + name + "': roles is a list of role names");
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
        comment = comment == null || comment.isEmpty() ? null : comment;
        if (asynchronous && QUERY.equals(kind)) {
            throw new MetadataException("action '" + name + "': only a mutation can be asynchronous");
        }
    }

    /** A synchronous action. */
    public Action(String name, String kind, Map<String, String> arguments, String output, ValueFrom handler,
                  Map<String, ValueFrom> headers, boolean forwardClientHeaders, Integer timeoutSeconds, List<String> roles,
                  String comment, RequestTransform requestTransform, ResponseTransform responseTransform) {
        this(name, kind, arguments, output, handler, headers, forwardClientHeaders, timeoutSeconds, roles, comment, requestTransform,
                responseTransform, false);
    }

    /** An action without transforms. */
    public Action(String name, String kind, Map<String, String> arguments, String output, ValueFrom handler,
                  Map<String, ValueFrom> headers, boolean forwardClientHeaders, Integer timeoutSeconds, List<String> roles,
                  String comment) {
        this(name, kind, arguments, output, handler, headers, forwardClientHeaders, timeoutSeconds, roles, comment, null, null, false);
    }

    /** {@code query} or {@code mutation}: the root type the action's field belongs to. */
    @JsonIgnore
    public String operation() {
        return kind == null ? MUTATION : kind;
    }

    /** The timeout of one handler call, in seconds. */
    @JsonIgnore
    public int timeout() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }
}
