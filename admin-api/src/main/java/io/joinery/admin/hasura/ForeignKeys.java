package io.joinery.admin.hasura;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The databases' foreign keys, as {@link HasuraImport} needs them. Hasura's
 * {@code foreign_key_constraint_on} names only one side of a relationship (the column of this table,
 * or the table and column that point back at it); the other side is in the database. The caller
 * answers from the live catalogs, usually with {@link #of(Function)}.
 */
@FunctionalInterface
public interface ForeignKeys {

    /**
     * The foreign key declared on {@code table} whose own columns are exactly {@code columns} (in any
     * order); empty when there is none, or more than one. {@code source} is the imported source
     * (name and URL; its tables are not filled in). May throw when the source's catalog cannot be
     * read: the import then lists the relationship with the exception's message.
     */
    Optional<ForeignKey> find(Source source, QualifiedName table, List<String> columns);

    /**
     * Foreign keys from the catalog of each source, read once per source on first need and kept for
     * the life of the returned object (make one per import). For example
     * {@code ForeignKeys.of(catalogs::read)} with the admin API's live catalogs. A null catalog
     * means an unknown source: nothing is found in it.
     */
    static ForeignKeys of(Function<Source, DatabaseCatalog> catalogs) {
        return new CatalogForeignKeys(catalogs);
    }

    /** Foreign keys from catalogs already read, by source name. */
    static ForeignKeys of(Map<String, DatabaseCatalog> catalogs) {
        Map<String, DatabaseCatalog> copy = Map.copyOf(catalogs);
        return of(source -> copy.get(source.name()));
    }
}
