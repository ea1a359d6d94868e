package io.joinery.admin.catalog;

import java.util.List;

/**
 * A column. {@code type} is the Postgres type name ({@code int4}, {@code timestamptz}, an enum's
 * name); for arrays, {@code type} is the element type and {@code array} is true. {@code typeSchema}
 * is the type's schema when the name alone does not find it on the search path
 * ({@code information_schema.sql_identifier}, an enum of another schema), else null. {@code enumValues}
 * is non-empty for enum types.
 */
public record ColumnInfo(String name, String type, String typeSchema, boolean array, boolean nullable, List<String> enumValues,
                         String comment) {

    /** A column whose type is found by its name alone. */
    public ColumnInfo(String name, String type, boolean array, boolean nullable, List<String> enumValues, String comment) {
        this(name, type, null, array, nullable, enumValues, comment);
    }

    public ColumnInfo {
        enumValues = enumValues == null ? List.of() : List.copyOf(enumValues);
    }

    public boolean isEnum() {
        return !enumValues.isEmpty();
    }

    /** The SQL type to cast a text parameter to, e.g. {@code int4} or {@code _text} for text[]. */
    public String sqlType() {
        return array ? type + "[]" : type;
    }
}
