package io.joinery.admin.hasura;

import io.joinery.admin.metadata.Metadata;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HasuraImport} made of an export: the Joinery document, and everything it could not
 * map, grouped by the object it belongs to, objects in export order. An empty {@code unmapped} list
 * means the document says all the export said. {@code notes} are what the document, mapped as it
 * is, will be served differently from a Hasura with its default settings (an export does not carry
 * the engine's settings). Serialises with Jackson as
 * {@code {metadata, unmapped: [{path, what, reason}], notes: [...]}}.
 */
public record ImportResult(Metadata metadata, List<Unmapped> unmapped, List<String> notes) {

    public ImportResult {
        Objects.requireNonNull(metadata, "metadata");
        unmapped = List.copyOf(unmapped);
        notes = List.copyOf(notes);
    }

    /** True when nothing was left out. */
    public boolean complete() {
        return unmapped.isEmpty();
    }
}
