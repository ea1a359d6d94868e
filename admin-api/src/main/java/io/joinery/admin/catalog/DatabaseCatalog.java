package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables of one database, by qualified name, in catalog order, the rows of the tables read
 * as enum tables and the functions computed fields name, each name with all its overloads
 * ({@link CatalogReader#read(io.vertx.sqlclient.SqlClient, io.joinery.admin.metadata.Source)}).
 */
public record DatabaseCatalog(Map<QualifiedName, TableInfo> tables, Map<QualifiedName, List<EnumValue>> enumValues,
                              Map<QualifiedName, List<FunctionInfo>> functions) {

    public DatabaseCatalog {
        Map<QualifiedName, List<FunctionInfo>> overloads = new LinkedHashMap<>();
        functions.forEach((name, found) -> overloads.put(name, List.copyOf(found)));
        functions = java.util.Collections.unmodifiableMap(overloads);
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        Map<QualifiedName, List<EnumValue>> values = new LinkedHashMap<>();
        enumValues.forEach((table, rows) -> values.put(table, List.copyOf(rows)));
        enumValues = java.util.Collections.unmodifiableMap(values);
    }

    /** A catalog without enum rows. */
    public DatabaseCatalog(Map<QualifiedName, TableInfo> tables) {
        this(tables, Map.of());
    }

    /** A catalog without functions. */
    public DatabaseCatalog(Map<QualifiedName, TableInfo> tables, Map<QualifiedName, List<EnumValue>> enumValues) {
        this(tables, enumValues, Map.of());
    }

    /** The functions of that name (overloads), none when it does not exist or was not read. */
    public List<FunctionInfo> functions(QualifiedName name) {
        return functions.getOrDefault(name, List.of());
    }

    /** This catalog with the functions computed fields name. */
    public DatabaseCatalog withFunctions(Map<QualifiedName, List<FunctionInfo>> read) {
        return new DatabaseCatalog(tables, enumValues, read);
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
        return new DatabaseCatalog(tables, all, functions);
    }
}
