package io.joinery.admin.check;

import io.joinery.admin.catalog.ColumnInfo;

import java.util.Map;

/** Which Postgres column types can be joined with {@code =}, and which take text or jsonb operators. */
final class ColumnTypes {

    private enum Family { NUMBER, TEXT, DATETIME, TIME, UUID, BOOL, JSONB, BYTES }

    private static final Map<String, Family> FAMILIES = Map.ofEntries(
            Map.entry("int2", Family.NUMBER), Map.entry("int4", Family.NUMBER), Map.entry("int8", Family.NUMBER),
            Map.entry("numeric", Family.NUMBER), Map.entry("float4", Family.NUMBER), Map.entry("float8", Family.NUMBER),
            Map.entry("oid", Family.NUMBER),
            Map.entry("text", Family.TEXT), Map.entry("varchar", Family.TEXT), Map.entry("bpchar", Family.TEXT),
            Map.entry("name", Family.TEXT), Map.entry("citext", Family.TEXT),
            Map.entry("date", Family.DATETIME), Map.entry("timestamp", Family.DATETIME), Map.entry("timestamptz", Family.DATETIME),
            Map.entry("time", Family.TIME), Map.entry("timetz", Family.TIME),
            Map.entry("uuid", Family.UUID), Map.entry("bool", Family.BOOL), Map.entry("jsonb", Family.JSONB),
            Map.entry("bytea", Family.BYTES));

    private ColumnTypes() {
    }

    /** Whether {@code a = b} is meaningful: same family (int4 with int8, text with varchar), same enum, never json. */
    static boolean comparable(ColumnInfo a, ColumnInfo b) {
        if (a.array() != b.array()) {
            return false;
        }
        if (a.isEnum() || b.isEnum()) {
            return a.type().equals(b.type());
        }
        Family family = FAMILIES.get(a.type());
        if (family != null) {
            return family == FAMILIES.get(b.type());
        }
        return a.type().equals(b.type()) && !a.type().equals("json");
    }

    static boolean isText(ColumnInfo column) {
        return !column.array() && !column.isEnum() && FAMILIES.get(column.type()) == Family.TEXT;
    }

    static boolean isJsonb(ColumnInfo column) {
        return !column.array() && column.type().equals("jsonb");
    }
}
