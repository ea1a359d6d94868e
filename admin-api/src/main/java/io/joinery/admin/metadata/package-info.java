/**
 * The metadata document: the one versioned description of what Joinery exposes (sources, tables,
 * relationships, permissions, and later remote schemas and actions). In: YAML or JSON text. Out:
 * immutable {@link io.joinery.admin.metadata.Metadata} records, validated for shape; consistency
 * against live databases is checked by the engine and the admin API.
 */
package io.joinery.admin.metadata;
