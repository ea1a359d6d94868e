package io.joinery.proxy.action;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An action call that failed: {@code message} and {@code code} for any client; {@code extensions},
 * when the handler refused the call with its own ({@code 4xx {message, extensions}}), replace
 * Joinery's as Hasura does; {@code internal} (the handler's URL, status, the cause) only for admins.
 */
public final class ActionFailure extends RuntimeException {

    /** Hasura's code for a handler that failed or answered what the output type does not allow. */
    public static final String UNEXPECTED = "unexpected";

    private final String code;
    private final JsonNode extensions;
    private final String internal;

    public ActionFailure(String message, String code, JsonNode extensions, String internal) {
        super(message);
        this.code = code;
        this.extensions = extensions;
        this.internal = internal;
    }

    static ActionFailure unexpected(String message, String internal) {
        return new ActionFailure(message, UNEXPECTED, null, internal);
    }

    public String code() {
        return code;
    }

    public JsonNode extensions() {
        return extensions;
    }

    public String internal() {
        return internal;
    }
}
