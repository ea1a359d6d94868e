package io.joinery.policies;

import java.util.Locale;

/**
 * The request may not run at all (bad admin secret, bad or missing token, a role the caller may
 * not take, a refusing or failing authentication hook); the message is safe for the client. The
 * {@link Reason} is Hasura's error code and the HTTP status of the answer.
 */
public class AccessDenied extends RuntimeException {

    /** Hasura's codes for a refused session; all but {@link #UNEXPECTED} answer 401. */
    public enum Reason {
        /** A wrong admin secret, a role not allowed, a hook's 401. */
        ACCESS_DENIED(401),
        /** The token's header is missing or malformed. */
        INVALID_HEADERS(401),
        /** The token does not verify: signature, algorithm, key, expiry, audience, issuer. */
        INVALID_JWT(401),
        /** The token verifies but its claims are not what the configuration says. */
        JWT_INVALID_CLAIMS(401),
        /** The token verifies but has no allowed roles or default role. */
        JWT_MISSING_ROLE_CLAIMS(401),
        /** The authentication hook could not be asked, or answered nonsense: the server's fault, not the caller's. */
        UNEXPECTED(500);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** Hasura's kebab-case code ({@code invalid-jwt}). */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public AccessDenied(String message) {
        this(Reason.ACCESS_DENIED, message);
    }

    public AccessDenied(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
