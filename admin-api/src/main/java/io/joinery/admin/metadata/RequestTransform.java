package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Locale;

/**
 * How an action's request to its handler is rewritten before it is sent: Hasura's
 * {@code request_transform}, read as Hasura writes it (versions 1 and 2), so an exported action
 * works unchanged. Templates are Kriti ({@code template_engine: Kriti}, the only engine); each part
 * left out keeps the default request's.
 *
 * <pre>
 * request_transform:
 *   version: 2
 *   method: GET                                        # a method name, not a template
 *   url: "{{$base_url}}/users/{{$body.input.id}}"      # a string template
 *   query_params: { fields: "{{$body.input.fields}}" } # or one template of the whole query string
 *   request_headers: { add_headers: { X-User: "{{$session_variables['x-hasura-user-id']}}" }, remove_headers: [content-type] }
 *   body: { action: remove }                           # or transform + template, or x_www_form_urlencoded + form_template
 * </pre>
 *
 * <p>Version 1 writes {@code body} as the template itself, and may say {@code content_type:
 * application/x-www-form-urlencoded} to send the template's object as a form (Hasura 2.1).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RequestTransform(
        @JsonProperty("version") Integer version,
        @JsonProperty("template_engine") String templateEngine,
        @JsonProperty("method") String method,
        @JsonProperty("url") String url,
        @JsonProperty("query_params") QueryParams queryParams,
        @JsonProperty("request_headers") HeaderTransform requestHeaders,
        @JsonProperty("body") BodyTransform body,
        @JsonProperty("content_type") String contentType) {

    public static final String KRITI = "Kriti";
    public static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

    @JsonCreator
    public RequestTransform {
        checkVersion(version);
        checkEngine(templateEngine);
        if (method != null && !method.matches("[A-Za-z]+")) {
            throw new MetadataException("request_transform: method is an HTTP method name such as GET, not '" + method + "'");
        }
        method = method == null ? null : method.toUpperCase(Locale.ROOT);
    }

    static void checkVersion(Integer version) {
        if (version != null && version != 1 && version != 2) {
            throw new MetadataException("a transform's version is 1 or 2, not " + version);
        }
    }

    static void checkEngine(String templateEngine) {
        if (templateEngine != null && !templateEngine.equals(KRITI)) {
            throw new MetadataException("a transform's template_engine is Kriti, not '" + templateEngine + "'");
        }
    }
}
