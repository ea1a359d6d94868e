package io.joinery.proxy.remote;

/** An error of a remote join or remote root field: a message, the response path it concerns, and its code. */
public record JoinError(String message, String path) {
    public static final String CODE = "remote-schema-error";
}
