package io.joinery.admin.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.admin.metadata.QualifiedName;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@link DatabaseCatalog} with one query over {@code pg_catalog}; blocks the calling (virtual) thread. */
public final class CatalogReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String CATALOG_SQL = """
            SELECT coalesce(json_agg(t ORDER BY t.schema, t.name), '[]')::text FROM (
              SELECT n.nspname AS schema, c.relname AS name, c.relkind IN ('v', 'm') AS view,
                     obj_description(c.oid, 'pg_class') AS comment,
                     (SELECT coalesce(json_agg(json_build_object(
                               'name', a.attname,
                               'type', CASE WHEN ty.typcategory = 'A' THEN et.typname ELSE ty.typname END,
                               'array', ty.typcategory = 'A',
                               'not_null', a.attnotnull,
                               'enum', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e
                                        WHERE e.enumtypid = CASE WHEN ty.typcategory = 'A' THEN ty.typelem ELSE ty.oid END),
                               'comment', col_description(c.oid, a.attnum)) ORDER BY a.attnum), '[]')
                        FROM pg_attribute a
                        JOIN pg_type ty ON ty.oid = a.atttypid
                        LEFT JOIN pg_type et ON et.oid = ty.typelem
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
                     (SELECT coalesce(json_agg(a.attname ORDER BY array_position(con.conkey, a.attnum)), '[]')
                        FROM pg_constraint con
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
                       WHERE con.conrelid = c.oid AND con.contype = 'p') AS primary_key,
                     (SELECT coalesce(json_agg(json_build_object(
                               'name', con.conname, 'schema', fn.nspname, 'table', fc.relname,
                               'columns', (SELECT json_agg(json_build_array(la.attname, ra.attname) ORDER BY k.i)
                                             FROM unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(l, r, i)
                                             JOIN pg_attribute la ON la.attrelid = con.conrelid AND la.attnum = k.l
                                             JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.r))
                               ORDER BY con.conname), '[]')
                        FROM pg_constraint con
                        JOIN pg_class fc ON fc.oid = con.confrelid
                        JOIN pg_namespace fn ON fn.oid = fc.relnamespace
                       WHERE con.conrelid = c.oid AND con.contype = 'f') AS foreign_keys
                FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
                 AND NOT c.relispartition
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'joinery')
                 AND n.nspname NOT LIKE 'pg\\_%'
            ) t
            """;

    private CatalogReader() {
    }

    public static DatabaseCatalog read(SqlClient client) {
        Row row = client.query(CATALOG_SQL).execute().toCompletionStage().toCompletableFuture().join().iterator().next();
        return parse(row.getString(0));
    }

    static DatabaseCatalog parse(String json) {
        try {
            Map<QualifiedName, TableInfo> tables = new LinkedHashMap<>();
            for (JsonNode t : JSON.readTree(json)) {
                QualifiedName name = new QualifiedName(t.path("schema").asText(), t.path("name").asText());
                tables.put(name, new TableInfo(name, t.path("view").asBoolean(), columns(t.path("columns")),
                        strings(t.path("primary_key")), foreignKeys(t.path("foreign_keys")), text(t.path("comment"))));
            }
            return new DatabaseCatalog(tables);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable catalog", e);
        }
    }

    private static List<ColumnInfo> columns(JsonNode nodes) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (JsonNode c : nodes) {
            columns.add(new ColumnInfo(c.path("name").asText(), c.path("type").asText(), c.path("array").asBoolean(),
                    !c.path("not_null").asBoolean(), strings(c.path("enum")), text(c.path("comment"))));
        }
        return columns;
    }

    private static List<ForeignKey> foreignKeys(JsonNode nodes) {
        List<ForeignKey> keys = new ArrayList<>();
        for (JsonNode k : nodes) {
            Map<String, String> mapping = new LinkedHashMap<>();
            k.path("columns").forEach(pair -> mapping.put(pair.get(0).asText(), pair.get(1).asText()));
            keys.add(new ForeignKey(k.path("name").asText(),
                    new QualifiedName(k.path("schema").asText(), k.path("table").asText()), mapping));
        }
        return keys;
    }

    private static List<String> strings(JsonNode nodes) {
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }
}
