/**
 * The metadata document: the one versioned description of what Joinery exposes (sources, tables,
 * relationships, permissions, remote schemas, and actions with their custom types). In: YAML or JSON text. Out: immutable
 * {@link io.joinery.admin.metadata.Metadata} records, validated for shape; consistency against live
 * databases is checked by the engine and the admin API.
 */
package io.joinery.admin.metadata;
