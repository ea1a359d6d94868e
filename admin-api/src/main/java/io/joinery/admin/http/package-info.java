/**
 * The admin REST API. In: HTTP requests on the admin listener under {@code /admin/v1} (JSON or YAML
 * bodies, {@code If-Match}, the admin secret header). Out: JSON answers with {@code ETag}s, changes
 * written to the {@link io.joinery.admin.store.MetadataStore} after the consistency checks passed,
 * and JSON errors with a stable {@code code}. {@link io.joinery.admin.http.AdminService} puts
 * together one service per resource; {@link io.joinery.admin.http.MetadataWriter} writes for all of
 * them; {@link io.joinery.admin.http.AdminAuth}, {@link io.joinery.admin.http.RouteTable} and
 * {@link io.joinery.admin.http.Replies} are the one secret check, 405 and error shape of the listener.
 */
package io.joinery.admin.http;
