package io.joinery.proxy.remote;

/** A remote that could not answer (down, timed out, not 2xx, not GraphQL JSON); the message is safe for clients. */
public class RemoteFailure extends RuntimeException {

    public RemoteFailure(String message) {
        super(message);
    }

    public RemoteFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
