package io.joinery.proxy.error;

import java.util.Locale;

/** Hasura's error codes, serialised kebab-case in {@code extensions.code}. */
public enum ErrorCode {
    VALIDATION_FAILED, PARSE_FAILED, INVALID_JSON, DATA_EXCEPTION, CONSTRAINT_VIOLATION, PERMISSION_ERROR,
    ACCESS_DENIED, INVALID_HEADERS, INVALID_JWT, JWT_INVALID_CLAIMS, JWT_MISSING_ROLE_CLAIMS, NOT_FOUND, NOT_SUPPORTED, POSTGRES_ERROR, REMOTE_SCHEMA_ERROR, ACTION_ERROR, BAD_REQUEST, UNEXPECTED;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
