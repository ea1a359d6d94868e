/**
 * Remote GraphQL schemas. In: remote schema configs, and the root fields of an operation that
 * belong to a remote. Out: the remote's introspected schema (with a federation subgraph's entities
 * and its plumbing hidden), its HTTP client, the JSON of its root fields — ONE request per remote —
 * and the pieces the join stage ({@code io.joinery.proxy.join}) builds its requests from: the
 * fragments and variables a selection uses, and key values as GraphQL literals. A failing remote
 * yields nulls and a {@code remote-schema-error}, never a failed response.
 */
package io.joinery.proxy.remote;
