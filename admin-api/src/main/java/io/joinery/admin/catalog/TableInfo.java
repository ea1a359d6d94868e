package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.List;
import java.util.Optional;

/** One table or view: its columns in declaration order, primary key and outgoing foreign keys. */
public record TableInfo(QualifiedName name, boolean view, List<ColumnInfo> columns, List<String> primaryKey,
                        List<ForeignKey> foreignKeys, String comment) {

    public TableInfo {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        foreignKeys = List.copyOf(foreignKeys);
    }

    public Optional<ColumnInfo> column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst();
    }
}
