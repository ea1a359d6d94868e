package io.joinery.admin.check;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;

import java.util.Optional;

/** One source's metadata beside its live catalog, with the names problems use for database objects. */
record SourceScope(Source source, DatabaseCatalog catalog) {

    Optional<TableConfig> tracked(QualifiedName table) {
        return source.table(table);
    }

    Optional<TableInfo> table(QualifiedName table) {
        return catalog.table(table);
    }

    /** Whether foreign keys could give {@code table} inferred relationships. */
    boolean mayInferRelationships(QualifiedName table) {
        return source.inferRelationships() && catalog.tables().values().stream()
                .anyMatch(t -> t.foreignKeys().stream()
                        .anyMatch(k -> t.name().equals(table) || k.target().equals(table)));
    }

    MetadataObject.TableRef ref(QualifiedName table) {
        return new MetadataObject.TableRef(source.name(), table);
    }

    static String tableName(QualifiedName table) {
        return "table " + table;
    }

    static String columnName(QualifiedName table, String column) {
        return "column " + table + "." + column;
    }
}
