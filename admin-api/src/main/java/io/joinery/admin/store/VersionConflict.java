package io.joinery.admin.store;

/** A write refused because the document moved on: the writer expected {@code expected}, the store holds {@code actual}. */
public record VersionConflict(long expected, long actual) implements WriteResult {
}
