package io.joinery.proxy.remote;

/**
 * A remote that could not answer (down, timed out, not 2xx, not GraphQL JSON, too large). The
 * message is safe for every client; {@link #internal()} (the URL and the cause underneath, or
 * null) is for admins and logs only.
 */
public class RemoteFailure extends RuntimeException {

    private final String internal;

    public RemoteFailure(String message) {
        this(message, null, null);
    }

    public RemoteFailure(String message, Throwable cause) {
        this(message, null, cause);
    }

    public RemoteFailure(String message, String internal) {
        this(message, internal, null);
    }

    public RemoteFailure(String message, String internal, Throwable cause) {
        super(message, cause);
        this.internal = internal;
    }

    /** Where and why underneath, e.g. {@code POST http://10.0.0.7:4000/graphql: connection refused}; null when there is nothing more. */
    public String internal() {
        return internal;
    }

    /** A remote that answered with GraphQL errors and no data: it refused the request itself (a query it does not support). */
    public static final class Refused extends RemoteFailure {
        public Refused(String message, String internal) {
            super(message, internal);
        }
    }

    /** Whether the remote did not answer in time (the call's bound, or a read timeout underneath). */
    public boolean timedOut() {
        return timedOut(getCause());
    }

    /** Whether {@code failure}, or what is under it, is a timeout: the call's bound, or a socket's read timeout. */
    static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.util.concurrent.TimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The message with the internal detail, for admins and logs. */
    public String detailed() {
        return internal == null ? getMessage() : getMessage() + " (" + internal + ")";
    }
}
