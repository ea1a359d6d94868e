package io.joinery.admin.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link DatabaseCatalog} with one query over {@code pg_catalog}, the rows of a source's
 * enum tables with one more, and the functions its computed fields and tracked functions name with one more; blocks the
 * calling (virtual) thread.
 */
public final class CatalogReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOGGER = System.getLogger(CatalogReader.class.getName());

    static final String CATALOG_SQL = """
            SELECT coalesce(json_agg(t ORDER BY t.schema, t.name), '[]')::text FROM (
              SELECT n.nspname AS schema, c.relname AS name, c.relkind IN ('v', 'm') AS view,
                     obj_description(c.oid, 'pg_class') AS comment,
                     (SELECT coalesce(json_agg(json_build_object(
                               'name', a.attname,
                               'type', CASE WHEN ty.typcategory = 'A' THEN et.typname ELSE ty.typname END,
                               'type_schema', (SELECT vn.nspname FROM pg_type vt JOIN pg_namespace vn ON vn.oid = vt.typnamespace
                                                WHERE vt.oid = CASE WHEN ty.typcategory = 'A' THEN ty.typelem ELSE ty.oid END
                                                  AND NOT pg_type_is_visible(vt.oid)),
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
                               'name', con.conname,
                               'columns', (SELECT json_agg(a.attname ORDER BY array_position(con.conkey, a.attnum))
                                             FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)))
                               ORDER BY con.conname), '[]')
                        FROM pg_constraint con
                       WHERE con.conrelid = c.oid AND con.contype IN ('p', 'u')) AS unique_keys,
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

    /** The functions of the given names ({@code $1} schemas, {@code $2} names), with their input arguments. */
    static final String FUNCTIONS_SQL = """
            SELECT coalesce(json_agg(json_build_object(
                     'schema', n.nspname, 'name', p.proname, 'volatility', p.provolatile, 'returns_set', p.proretset,
                     'return_schema', rn.nspname, 'return_type', rt.typname, 'return_kind', rt.typtype,
                     'comment', obj_description(p.oid, 'pg_proc'),
                     'arguments', (SELECT coalesce(json_agg(json_build_object(
                                          'name', nullif(p.proargnames[a.i], ''), 'schema', tn.nspname, 'type', t.typname,
                                          'row', t.typtype = 'c', 'default', a.i > p.pronargs - p.pronargdefaults) ORDER BY a.i), '[]')
                                     FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, i)
                                     JOIN pg_type t ON t.oid = a.oid
                                     JOIN pg_namespace tn ON tn.oid = t.typnamespace))
                   ORDER BY n.nspname, p.proname, p.oid), '[]')::text
              FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace
              JOIN pg_type rt ON rt.oid = p.prorettype
              JOIN pg_namespace rn ON rn.oid = rt.typnamespace
             WHERE p.prokind = 'f' AND p.proallargtypes IS NULL
               AND (n.nspname, p.proname) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            """;

    private CatalogReader() {
    }

    public static DatabaseCatalog read(SqlClient client) {
        Row row = client.query(CATALOG_SQL).execute().toCompletionStage().toCompletableFuture().join().iterator().next();
        return parse(row.getString(0));
    }

    /**
     * The catalog, with the rows of {@code source}'s enum tables ({@code is_enum: true}) whose key is
     * one {@code text} column: that key and, when the table has exactly one other column of type
     * {@code text}, its description. Rows are read here, when the catalog is (at a build, a reload, a
     * check), never per request. An enum table of another shape gets no rows: the checks say why.
     */
    public static DatabaseCatalog read(SqlClient client, Source source) {
        DatabaseCatalog catalog = withFunctions(client, source, read(client));
        List<TableInfo> enumTables = source.tables().stream().filter(TableConfig::isEnum)
                .flatMap(config -> catalog.table(config.qualifiedName()).stream())
                .filter(table -> keyColumn(table).isPresent())
                .toList();
        if (enumTables.isEmpty()) {
            return catalog;
        }
        try {
            Row row = client.query(enumRowsSql(enumTables)).execute().toCompletionStage().toCompletableFuture().join().iterator().next();
            return catalog.withEnumValues(parseEnumRows(enumTables, row.getString(0)));
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "cannot read the rows of the enum tables of source '" + source.name() + "': "
                    + e.getMessage());
            return catalog;
        }
    }

    /**
     * The catalog with the functions {@code source}'s computed fields and tracked functions name, read
     * with one query (none when it has neither). A function that is not found is simply absent: the checks say so.
     */
    private static DatabaseCatalog withFunctions(SqlClient client, Source source, DatabaseCatalog catalog) {
        List<QualifiedName> names = java.util.stream.Stream.concat(source.tables().stream()
                        .flatMap(table -> table.computedFields().values().stream())
                        .map(ComputedField::functionName),
                source.functions().stream().map(io.joinery.admin.metadata.TrackedFunction::functionName)).distinct().toList();
        if (names.isEmpty()) {
            return catalog;
        }
        String[] schemas = names.stream().map(QualifiedName::schema).toArray(String[]::new);
        String[] functions = names.stream().map(QualifiedName::name).toArray(String[]::new);
        Row row = client.preparedQuery(FUNCTIONS_SQL).execute(Tuple.tuple().addArrayOfString(schemas).addArrayOfString(functions))
                .toCompletionStage().toCompletableFuture().join().iterator().next();
        return catalog.withFunctions(parseFunctions(row.getString(0)));
    }

    static Map<QualifiedName, List<FunctionInfo>> parseFunctions(String json) {
        try {
            Map<QualifiedName, List<FunctionInfo>> functions = new LinkedHashMap<>();
            for (JsonNode f : JSON.readTree(json)) {
                List<FunctionInfo.Argument> arguments = new ArrayList<>();
                for (JsonNode a : f.path("arguments")) {
                    arguments.add(new FunctionInfo.Argument(text(a.path("name")),
                            new QualifiedName(a.path("schema").asText(), a.path("type").asText()),
                            a.path("row").asBoolean(), a.path("default").asBoolean()));
                }
                QualifiedName name = new QualifiedName(f.path("schema").asText(), f.path("name").asText());
                functions.computeIfAbsent(name, n -> new ArrayList<>()).add(new FunctionInfo(name, arguments,
                        new QualifiedName(f.path("return_schema").asText(), f.path("return_type").asText()),
                        f.path("return_kind").asText(), f.path("returns_set").asBoolean(), f.path("volatility").asText(),
                        text(f.path("comment"))));
            }
            return functions;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable functions", e);
        }
    }

    /** {@code SELECT json_build_array((SELECT coalesce(json_agg(json_build_array(key, description) ORDER BY key), '[]') FROM t1), …)::text}. */
    private static String enumRowsSql(List<TableInfo> tables) {
        StringBuilder sql = new StringBuilder("SELECT json_build_array(");
        for (int i = 0; i < tables.size(); i++) {
            TableInfo table = tables.get(i);
            String key = quoted(keyColumn(table).orElseThrow().name());
            String description = descriptionColumn(table).map(c -> quoted(c.name())).orElse("NULL");
            sql.append(i == 0 ? "" : ", ")
                    .append("(SELECT coalesce(json_agg(json_build_array(").append(key).append(", ").append(description)
                    .append(") ORDER BY ").append(key).append(" COLLATE \"C\"), '[]') FROM ")
                    .append(quoted(table.name().schema())).append('.').append(quoted(table.name().name())).append(')');
        }
        return sql.append(")::text").toString();
    }

    private static Map<QualifiedName, List<EnumValue>> parseEnumRows(List<TableInfo> tables, String json) {
        try {
            JsonNode all = JSON.readTree(json);
            Map<QualifiedName, List<EnumValue>> rows = new LinkedHashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                List<EnumValue> values = new ArrayList<>();
                for (JsonNode pair : all.get(i)) {
                    if (pair.get(0).isTextual()) {
                        values.add(new EnumValue(pair.get(0).textValue(), text(pair.get(1))));
                    }
                }
                rows.put(tables.get(i).name(), values);
            }
            return rows;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable enum rows", e);
        }
    }

    /** The primary key of an enum table: one column of type {@code text}. */
    private static Optional<ColumnInfo> keyColumn(TableInfo table) {
        if (table.primaryKey().size() != 1) {
            return Optional.empty();
        }
        return table.column(table.primaryKey().getFirst()).filter(CatalogReader::isText);
    }

    /** The description column of an enum table: its only other column, of type {@code text}. */
    private static Optional<ColumnInfo> descriptionColumn(TableInfo table) {
        List<ColumnInfo> others = table.columns().stream().filter(c -> !table.primaryKey().contains(c.name())).toList();
        return others.size() == 1 && isText(others.getFirst()) ? Optional.of(others.getFirst()) : Optional.empty();
    }

    private static boolean isText(ColumnInfo column) {
        return !column.array() && !column.isEnum() && column.type().equals("text");
    }

    /** A Postgres identifier in double quotes; the names come from the catalog itself. */
    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static DatabaseCatalog parse(String json) {
        try {
            Map<QualifiedName, TableInfo> tables = new LinkedHashMap<>();
            for (JsonNode t : JSON.readTree(json)) {
                QualifiedName name = new QualifiedName(t.path("schema").asText(), t.path("name").asText());
                tables.put(name, new TableInfo(name, t.path("view").asBoolean(), columns(t.path("columns")),
                        strings(t.path("primary_key")), foreignKeys(t.path("foreign_keys")), text(t.path("comment")),
                        uniqueKeys(t.path("unique_keys"))));
            }
            return new DatabaseCatalog(tables);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable catalog", e);
        }
    }

    private static List<ColumnInfo> columns(JsonNode nodes) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (JsonNode c : nodes) {
            columns.add(new ColumnInfo(c.path("name").asText(), c.path("type").asText(), text(c.path("type_schema")),
                    c.path("array").asBoolean(), !c.path("not_null").asBoolean(), strings(c.path("enum")), text(c.path("comment"))));
        }
        return columns;
    }

    /** Primary key and unique constraints by name: what an upsert's {@code on_conflict} names. */
    private static Map<String, List<String>> uniqueKeys(JsonNode nodes) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        nodes.forEach(k -> keys.put(k.path("name").asText(), strings(k.path("columns"))));
        return keys;
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
