package io.joinery.admin.store;

/**
 * The metadata store could not be read or written (database unreachable, or a stored document that
 * no longer parses). The message is safe to log; the admin API shows clients a generic one.
 */
public class MetadataStoreException extends RuntimeException {

    public MetadataStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
