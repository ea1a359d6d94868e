package io.joinery.admin.catalog;

import java.util.List;

/**
 * A column. {@code type} is the Postgres type name ({@code int4}, {@code timestamptz}, an enum's
 * name); for arrays, {@code type} is the element type and {@code array} is true. {@code enumValues}
 * is non-empty for enum types.
 */
public record ColumnInfo(String name, String type, boolean array, boolean nullable, List<String> enumValues,
                         String comment) {

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
