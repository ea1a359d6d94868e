/**
 * Remote GraphQL schemas. In: remote schema configs, and the parts of an operation that belong to
 * a remote (its root fields, or the selection under a remote relationship together with the join
 * keys of the table rows or of the remote answer's objects that carry it). Out: the remote's introspected schema (with a federation subgraph's entities and
 * its plumbing hidden), and JSON results — ONE HTTP request per remote for root fields and per
 * remote join per level, identical keys deduplicated, sent per key, in one list argument or as
 * {@code _entities} representations, and stitched back in place by position or by key.
 * A failing remote yields nulls and a {@code remote-schema-error}, never a failed response.
 */
package io.joinery.proxy.remote;
