package io.joinery.admin.store;

import io.joinery.admin.metadata.Metadata;

import java.util.Objects;

/**
 * The metadata document at one resource version. Version 0 is the empty store: nothing was ever
 * written, and {@code metadata} is {@link Metadata#empty()}.
 */
public record StoredMetadata(long resourceVersion, Metadata metadata) implements WriteResult {

    public StoredMetadata {
        if (resourceVersion < 0) {
            throw new IllegalArgumentException("negative resource version " + resourceVersion);
        }
        Objects.requireNonNull(metadata, "metadata");
    }

    /** The value of an HTTP {@code ETag} header naming this version: {@code "12"}. */
    public String etag() {
        return "\"" + resourceVersion + "\"";
    }
}
