/**
 * Consistency of a metadata document with the live databases. In: a
 * {@link io.joinery.admin.metadata.Metadata} and the {@link io.joinery.admin.catalog.DatabaseCatalog}
 * of each source (through {@link io.joinery.admin.check.Catalogs}). Out: {@link io.joinery.admin.check.Problem}s,
 * each naming the object, what it depends on and why it fails, gathered as
 * {@link io.joinery.admin.check.Inconsistencies}; and the {@link io.joinery.admin.check.Dependents}
 * of an object (its remote counterparts: {@link io.joinery.admin.check.RemoteRef}), for refusing or
 * cascading a delete. The engine adds its own {@link io.joinery.admin.check.ConsistencyCheck}s
 * (GraphQL name collisions, remote schemas) to {@link io.joinery.admin.check.ConsistencyChecker#of},
 * the one checker of admin writes, the sidecar's builds and {@code joinery check}.
 */
package io.joinery.admin.check;
