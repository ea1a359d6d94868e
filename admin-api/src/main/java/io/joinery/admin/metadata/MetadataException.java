package io.joinery.admin.metadata;

/** A metadata document that is malformed: its message names the problem for the person who wrote it. */
public class MetadataException extends RuntimeException {

    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
