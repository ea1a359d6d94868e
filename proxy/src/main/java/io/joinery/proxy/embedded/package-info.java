/**
 * The fresh-machine database: with no {@code JOINERY_DATABASE_URL}, {@code Main} starts a PostgreSQL
 * from the binaries beside the jar ({@link io.joinery.proxy.embedded.EmbeddedDatabase}) and loads
 * the demo dataset and metadata from {@code /demo/}. In: an optional data directory. Out: a
 * {@code postgres://} URL for the engine's connection pool.
 */
package io.joinery.proxy.embedded;
