package io.joinery.proxy.error;

/**
 * The one unchecked failure of the engine. {@code message} is for any client; {@code internal}
 * (SQL text, driver messages) is shown only to admins.
 */
public class JoineryException extends RuntimeException {

    private final ErrorCode code;
    private final String path;
    private final String internal;

    public JoineryException(ErrorCode code, String message, String path, String internal) {
        super(message);
        this.code = code;
        this.path = path == null ? "$" : path;
        this.internal = internal;
    }

    public JoineryException(ErrorCode code, String message) {
        this(code, message, "$", null);
    }

    public ErrorCode code() {
        return code;
    }

    public String path() {
        return path;
    }

    public String internal() {
        return internal;
    }
}
