package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables of one database, by qualified name, in catalog order, and the rows of the tables read
 * as enum tables ({@link CatalogReader#read(io.vertx.sqlclient.SqlClient, io.joinery.admin.metadata.Source)}).
 */
public record DatabaseCatalog(Map<QualifiedName, TableInfo> tables, Map<QualifiedName, List<EnumValue>> enumValues) {

    public DatabaseCatalog {
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        Map<QualifiedName, List<EnumValue>> values = new LinkedHashMap<>();
        enumValues.forEach((table, rows) -> values.put(table, List.copyOf(rows)));
        enumValues = java.util.Collections.unmodifiableMap(values);
    }

    /** A catalog without enum rows. */
    public DatabaseCatalog(Map<QualifiedName, TableInfo> tables) {
        this(tables, Map.of());
    }

    public Optional<TableInfo> table(QualifiedName name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The rows of an enum table, in key order; empty when they were not read. */
    public Optional<List<EnumValue>> enumValues(QualifiedName table) {
        return Optional.ofNullable(enumValues.get(table));
    }

    /** This catalog with the rows of some enum tables. */
    public DatabaseCatalog withEnumValues(Map<QualifiedName, List<EnumValue>> rows) {
        Map<QualifiedName, List<EnumValue>> all = new LinkedHashMap<>(enumValues);
        all.putAll(rows);
        return new DatabaseCatalog(tables, all);
    }
}
