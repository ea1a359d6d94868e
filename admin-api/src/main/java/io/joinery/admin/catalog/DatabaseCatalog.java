package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The tables of one database, by qualified name, in catalog order. */
public record DatabaseCatalog(Map<QualifiedName, TableInfo> tables) {

    public DatabaseCatalog {
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    public Optional<TableInfo> table(QualifiedName name) {
        return Optional.ofNullable(tables.get(name));
    }
}
