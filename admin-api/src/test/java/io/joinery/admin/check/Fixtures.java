package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.ForeignKey;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small blog database as a catalog, and metadata built over it. */
final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    static final DatabaseCatalog BLOG = new DatabaseCatalog(tables(
            table("author", List.of(), col("id", "int4"), col("name", "text"), col("profile", "jsonb"), col("account", "uuid")),
            table("article", List.of(new ForeignKey("article_author_fk", QualifiedName.parse("author"), Map.of("author_id", "id"))),
                    col("id", "int8"), col("author_id", "int4"), col("title", "varchar"), col("published", "bool")),
            table("tag", List.of(), col("id", "uuid"), col("label", "text"))));

    private Fixtures() {
    }

    static ColumnInfo col(String name, String type) {
        return new ColumnInfo(name, type, false, true, List.of(), null);
    }

    static TableInfo table(String name, List<ForeignKey> keys, ColumnInfo... columns) {
        return new TableInfo(QualifiedName.parse(name), false, Arrays.asList(columns), List.of(columns[0].name()), keys, null);
    }

    private static Map<QualifiedName, TableInfo> tables(TableInfo... tables) {
        Map<QualifiedName, TableInfo> map = new LinkedHashMap<>();
        for (TableInfo t : tables) {
            map.put(t.name(), t);
        }
        return map;
    }

    static Metadata metadata(boolean inferRelationships, TableConfig... tables) {
        return new Metadata(1, List.of(new Source("default", null, inferRelationships, List.of(tables))));
    }

    static Metadata metadata(TableConfig... tables) {
        return metadata(false, tables);
    }

    static TableConfig tracked(String table, Map<String, Relationship> relationships, Map<String, RolePermissions> permissions) {
        return new TableConfig(table, null, null, null, relationships, permissions);
    }

    static final TableConfig AUTHOR = tracked("author",
            Map.of("articles", Relationship.array("article", Map.of("id", "author_id"))), Map.of());

    static TableConfig articleWith(Map<String, RolePermissions> permissions) {
        return tracked("article", Map.of("author", Relationship.object("author", Map.of("author_id", "id"))), permissions);
    }

    static RolePermissions select(String filterJson, String... columns) {
        return new RolePermissions(new SelectPermission(List.of(columns.length == 0 ? new String[]{"*"} : columns),
                json(filterJson), null, false));
    }

    /** A role's permissions written as in the document, e.g. {@code {"insert": {"columns": ["title"]}}}. */
    static RolePermissions permissions(String json) {
        return MetadataCodec.convert(json(json), RolePermissions.class);
    }

    static JsonNode json(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
