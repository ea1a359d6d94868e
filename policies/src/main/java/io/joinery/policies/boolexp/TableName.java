package io.joinery.policies.boolexp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/** A table named in {@code _exists}: Hasura writes {@code _table} as {@code name}, {@code schema.name} or {@code {schema, name}}. */
public record TableName(String schema, String name) {

    /** The table {@code node} names; empty when it is not a table name (or names an empty schema or table). */
    public static Optional<TableName> of(JsonNode node) {
        if (node != null && node.isTextual()) {
            String text = node.textValue();
            if (text.isBlank()) {
                return Optional.empty();
            }
            int dot = text.indexOf('.');
            return nonEmpty(dot < 0 ? "public" : text.substring(0, dot), dot < 0 ? text : text.substring(dot + 1));
        }
        if (node != null && node.isObject() && node.path("name").isTextual()) {
            return nonEmpty(node.path("schema").asText("public"), node.path("name").textValue());
        }
        return Optional.empty();
    }

    private static Optional<TableName> nonEmpty(String schema, String name) {
        return schema.isEmpty() || name.isEmpty() ? Optional.empty() : Optional.of(new TableName(schema, name));
    }
}
