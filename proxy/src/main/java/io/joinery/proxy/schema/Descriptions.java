package io.joinery.proxy.schema;

import java.util.Map;

/**
 * The descriptions of a table's GraphQL type and of its column fields (by SQL column name), as Hasura
 * gives them: the metadata's comment, else the database's ({@code COMMENT ON TABLE/COLUMN}), else for the
 * type {@code columns and relationships of "table"} and for a column none. An empty metadata comment means
 * no description at all. {@code table} is null for none. Root fields (by Hasura's key) take the metadata's
 * comment over Hasura's default text.
 */
public record Descriptions(String table, Map<String, String> columns, Map<String, String> rootFields) {

    public static final Descriptions NONE = new Descriptions(null, Map.of(), Map.of());

    public Descriptions {
        columns = Map.copyOf(columns);
        rootFields = Map.copyOf(rootFields);
    }

    /** The description of the root field of Hasura's key {@code key} ({@code select}, …): the metadata's comment (empty: none), else {@code fallback}. */
    public String rootField(String key, String fallback) {
        return pick(rootFields.get(key), null, fallback);
    }

    /** The one of {@code metadata} (empty: none) and {@code database}, or {@code fallback}; null for none. */
    static String pick(String metadata, String database, String fallback) {
        if (metadata != null) {
            return metadata.isEmpty() ? null : metadata;
        }
        return database != null && !database.isEmpty() ? database : fallback;
    }

    public String column(String column) {
        return columns.get(column);
    }
}
