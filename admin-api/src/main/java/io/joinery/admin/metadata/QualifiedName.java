package io.joinery.admin.metadata;

/** A table's schema and name; written {@code name} (schema public) or {@code schema.name}. */
public record QualifiedName(String schema, String name) {

    public QualifiedName {
        if (schema == null || schema.isEmpty() || name == null || name.isEmpty()) {
            throw new MetadataException("a table name needs a schema and a name");
        }
    }

    public static QualifiedName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MetadataException("empty table name");
        }
        int dot = text.indexOf('.');
        return dot < 0 ? new QualifiedName("public", text) : new QualifiedName(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public String toString() {
        return "public".equals(schema) ? name : schema + "." + name;
    }
}
