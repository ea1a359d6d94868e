package io.joinery.admin.check;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.metadata.Source;

/**
 * Live database catalogs, read when a check runs. The engine passes one backed by its connection
 * per source (typically {@code CatalogReader.read(poolOf(source), source)}, which also reads the
 * rows of the source's enum tables); a source that is not connected yet (a new source in a
 * proposed document) may be connected on demand or refused by throwing.
 */
@FunctionalInterface
public interface Catalogs {

    /** The catalog of {@code source}'s database now; throws when it cannot be read. */
    DatabaseCatalog read(Source source);
}
