/**
 * The metadata document shared by the fleet. In: a Postgres connection (schema {@code joinery} of
 * the metadata database). Out: {@link io.joinery.admin.store.StoredMetadata} versions written one
 * transaction at a time with optimistic concurrency, and a
 * {@link io.joinery.admin.store.MetadataWatcher} that follows every change through
 * {@code LISTEN joinery_metadata} and re-reads on reconnect.
 */
package io.joinery.admin.store;
