package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error of one action field, which is null in {@code data}: Hasura's shape, {@code message} and
 * {@code extensions: {path, code}}, or the handler's own {@code extensions} as it sent them (Hasura
 * then leaves out path and code); {@code internal} only for admins.
 */
public record ActionError(String message, String path, String code, JsonNode extensions, String internal) {

    static ActionError of(ActionFailure failure, String path) {
        return new ActionError(failure.getMessage(), path, failure.code(), failure.extensions(), failure.internal());
    }

    /** The error as the response carries it. */
    public Map<String, Object> entry(boolean admin) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("message", message);
        if (extensions != null) {
            entry.put("extensions", extensions);
            return entry;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("path", path);
        fields.put("code", code);
        if (admin && internal != null) {
            fields.put("internal", internal);
        }
        entry.put("extensions", fields);
        return entry;
    }
}
