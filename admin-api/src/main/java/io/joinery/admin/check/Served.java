package io.joinery.admin.check;

/**
 * What a sidecar serves: the resource version of the metadata its schema was built from and the
 * objects that build left out. {@code GET /admin/v1/inconsistencies} reports it, so the answer and
 * the {@code joinery.metadata.inconsistent.objects} gauge always describe the same schema.
 */
public record Served(long resourceVersion, Inconsistencies inconsistencies) {
}
