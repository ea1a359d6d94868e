package io.joinery.proxy.remote;

/**
 * An error of a remote join or remote root field: a message, the response path it concerns, and
 * what only admins see ({@code extensions.internal}: the remote's URL and the cause, or null).
 */
public record JoinError(String message, String path, String internal) {
    public static final String CODE = "remote-schema-error";

    public JoinError(String message, String path) {
        this(message, path, null);
    }

    /** A remote's failure at {@code path}. */
    public static JoinError of(RemoteFailure failure, String path) {
        return new JoinError(failure.getMessage(), path, failure.internal());
    }
}
