package io.joinery.policies;

/** The request may not run at all (bad admin secret, no role); the message is safe for the client. */
public class AccessDenied extends RuntimeException {

    public AccessDenied(String message) {
        super(message);
    }
}
