package io.joinery.admin.http;

import io.helidon.http.Status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the admin API refuses, with the HTTP status, the stable {@code code} clients switch
 * on, a message for people, and optional extra fields ({@code problems}, {@code dependents}).
 * Messages never carry SQL, stack traces or secrets.
 */
final class AdminError extends RuntimeException {

    private final Status status;
    private final String code;
    private final Map<String, Object> details;
    private final String etag;

    AdminError(Status status, String code, String message, Map<String, Object> details, String etag) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = new LinkedHashMap<>(details);
        this.etag = etag;
    }

    AdminError(Status status, String code, String message, Map<String, Object> details) {
        this(status, code, message, details, null);
    }

    AdminError(Status status, String code, String message) {
        this(status, code, message, Map.of());
    }

    static AdminError notFound(String message) {
        return new AdminError(Status.NOT_FOUND_404, "not-found", message);
    }

    static AdminError invalidMetadata(String message) {
        return new AdminError(Status.BAD_REQUEST_400, "invalid-metadata", message);
    }

    static AdminError invalidJson(String message) {
        return new AdminError(Status.BAD_REQUEST_400, "invalid-json", message);
    }

    /** A write whose {@code If-Match} names an older version; carries the current one. */
    static AdminError stale(long current) {
        return new AdminError(Status.PRECONDITION_FAILED_412, "precondition-failed",
                "the metadata changed: the current resource version is " + current,
                Map.of("resource_version", current), "\"" + current + "\"");
    }

    /** The ETag of the current version, for errors that report one; else null. */
    String etag() {
        return etag;
    }

    Status status() {
        return status;
    }

    /** The JSON body: {@code {"code": ..., "message": ..., ...details}}. */
    Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", getMessage());
        body.putAll(details);
        return body;
    }
}
