/**
 * The admin REST API. In: HTTP requests on the admin listener under {@code /admin/v1} (JSON or YAML
 * bodies, {@code If-Match}, the admin secret header). Out: JSON answers with {@code ETag}s, changes
 * written to the {@link io.joinery.admin.store.MetadataStore} after the consistency checks passed,
 * and JSON errors with a stable {@code code}.
 */
package io.joinery.admin.http;
