package io.joinery.proxy.action.transform;

import io.joinery.kriti.KritiException;

/**
 * A transform that cannot be applied: a template that fails on this call's values, or renders
 * something the request cannot carry (a URL that is not one). {@code where} names the template
 * ({@code request_transform.url}); the message is for admins, who wrote the template.
 */
public final class TransformException extends RuntimeException {

    private final String where;

    TransformException(String where, String reason) {
        super(where + ": " + reason);
        this.where = where;
    }

    TransformException(String where, KritiException cause) {
        super(where + ": " + cause.getMessage(), cause);
        this.where = where;
    }

    /** The template that failed, as the metadata names it: {@code request_transform.body.template}. */
    public String where() {
        return where;
    }
}
