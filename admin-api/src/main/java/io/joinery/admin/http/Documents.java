package io.joinery.admin.http;

import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.joinery.admin.store.MetadataStore;
import io.joinery.admin.store.StoredMetadata;

import java.util.List;
import java.util.function.Supplier;

/**
 * Where the read routes find the document: the store, whose versions are {@code ETag}s a write can
 * name and which is offered as JSON or YAML; or, in read-only mode, the file the engine serves,
 * answered as JSON without an {@code ETag} (no write can name a version of it).
 */
record Documents(Supplier<StoredMetadata> current, boolean versioned) {

    static Documents of(MetadataStore store) {
        return new Documents(store::current, true);
    }

    /** Read-only mode: the document the engine serves, at the version it serves. */
    static Documents served(Supplier<StoredMetadata> served) {
        return new Documents(served, false);
    }

    /** The {@code ETag} of {@code stored}, or null. */
    String etag(StoredMetadata stored) {
        return versioned ? stored.etag() : null;
    }

    /** The media types {@code GET /metadata} answers in, the default first. */
    List<MediaType> offered() {
        return versioned ? List.of(MediaTypes.APPLICATION_JSON, MediaTypes.APPLICATION_YAML) : List.of(MediaTypes.APPLICATION_JSON);
    }
}
