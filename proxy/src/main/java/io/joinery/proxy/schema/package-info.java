/**
 * Schema generation. In: metadata and the live catalogs of its sources. Out: a {@link
 * io.joinery.proxy.schema.SchemaModel} (tables with their GraphQL names, columns, relationships,
 * permissions per role) and, per role, a graphql-java schema with Hasura's names and shapes.
 */
package io.joinery.proxy.schema;
