package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.List;
import java.util.Optional;

/**
 * One table or view: its columns in declaration order, primary key, outgoing foreign keys, and its
 * primary key and unique constraints by name ({@code uniqueKeys}, constraint → columns).
 */
public record TableInfo(QualifiedName name, boolean view, List<ColumnInfo> columns, List<String> primaryKey,
                        List<ForeignKey> foreignKeys, String comment, java.util.Map<String, List<String>> uniqueKeys) {

    public TableInfo {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        foreignKeys = List.copyOf(foreignKeys);
        uniqueKeys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(uniqueKeys));
    }

    /** A table whose unique constraints are not known (none). */
    public TableInfo(QualifiedName name, boolean view, List<ColumnInfo> columns, List<String> primaryKey,
                     List<ForeignKey> foreignKeys, String comment) {
        this(name, view, columns, primaryKey, foreignKeys, comment, java.util.Map.of());
    }

    public Optional<ColumnInfo> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }
}
