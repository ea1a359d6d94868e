/**
 * What a Postgres database holds: tables, views, columns with their types, primary and foreign
 * keys, read from {@code pg_catalog} in one query, the rows of the enum tables of a source in
 * one more, and the functions its computed fields and tracked functions name in one more. In: a connection (and the source). Out: an immutable
 * {@link io.joinery.admin.catalog.DatabaseCatalog} that schema generation and consistency checks use.
 */
package io.joinery.admin.catalog;
