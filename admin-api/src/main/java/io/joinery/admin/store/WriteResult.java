package io.joinery.admin.store;

/**
 * The outcome of {@link MetadataStore#replace}: the new {@link StoredMetadata}, or a
 * {@link VersionConflict} when another writer got there first. Switch over it without a default.
 */
public sealed interface WriteResult permits StoredMetadata, VersionConflict {
}
