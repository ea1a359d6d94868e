package io.joinery.admin.hasura;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** {@link ForeignKeys} read from database catalogs; each source's catalog is read once, failures included. */
final class CatalogForeignKeys implements ForeignKeys {

    /** A source's catalog, or why it could not be read. */
    private record Read(Optional<DatabaseCatalog> catalog, RuntimeException failure) {

        static Read of(Function<Source, DatabaseCatalog> catalogs, Source source) {
            try {
                return new Read(Optional.ofNullable(catalogs.apply(source)), null);
            } catch (RuntimeException e) {
                return new Read(Optional.empty(), e);
            }
        }
    }

    private final Function<Source, DatabaseCatalog> catalogs;
    private final Map<String, Read> read = new ConcurrentHashMap<>();

    CatalogForeignKeys(Function<Source, DatabaseCatalog> catalogs) {
        this.catalogs = catalogs;
    }

    @Override
    public Optional<ForeignKey> find(Source source, QualifiedName table, List<String> columns) {
        Read catalog = read.computeIfAbsent(source.name(), name -> Read.of(catalogs, source));
        if (catalog.failure() != null) {
            throw catalog.failure();
        }
        Set<String> wanted = Set.copyOf(columns);
        List<ForeignKey> matches = catalog.catalog()
                .flatMap(tables -> tables.table(table))
                .map(TableInfo::foreignKeys)
                .orElse(List.of())
                .stream()
                .filter(key -> key.columns().keySet().equals(wanted))
                .toList();
        return matches.size() == 1 ? Optional.of(matches.getFirst()) : Optional.empty();
    }
}
