/**
 * Remote GraphQL schemas. In: remote schema configs, and the parts of an operation that belong to
 * a remote (its root fields, or the selection under a remote relationship together with the rows'
 * join keys). Out: the remote's introspected schema, and JSON results — ONE HTTP request per remote
 * for root fields and per remote join per level, identical keys deduplicated, stitched back in place.
 * A failing remote yields nulls and a {@code remote-schema-error}, never a failed response.
 */
package io.joinery.proxy.remote;
