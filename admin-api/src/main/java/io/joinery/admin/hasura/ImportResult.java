package io.joinery.admin.hasura;

import io.joinery.admin.metadata.Metadata;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HasuraImport} made of an export: the Joinery document, and everything it could not
 * map, grouped by the object it belongs to, objects in export order. An empty {@code unmapped} list
 * means the document says all the export said. Serialises with Jackson as
 * {@code {metadata, unmapped: [{path, what, reason}]}}.
 */
public record ImportResult(Metadata metadata, List<Unmapped> unmapped) {

    public ImportResult {
        Objects.requireNonNull(metadata, "metadata");
        unmapped = List.copyOf(unmapped);
    }

    /** True when nothing was left out. */
    public boolean complete() {
        return unmapped.isEmpty();
    }
}
