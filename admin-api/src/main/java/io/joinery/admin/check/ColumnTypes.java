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

    /**
     * Whether a value of GraphQL scalar {@code scalar} can equal a column's, as a join key: numbers
     * with {@code Int}/{@code Float}, booleans with {@code Boolean}, a Postgres scalar of the engine
     * with its own family, and anything but booleans with {@code String}, {@code ID} and custom
     * scalars. Never JSON or array columns.
     */
    static boolean comparable(String scalar, ColumnInfo column) {
        if (column.array() || column.type().equals("json") || column.type().equals("jsonb")) {
            return false;
        }
        Family family = column.isEnum() ? Family.TEXT : FAMILIES.get(column.type());
        return switch (scalar) {
            case "Int", "Float" -> family == Family.NUMBER;
            case "Boolean" -> family == Family.BOOL;
            case "String", "ID" -> family != Family.BOOL;
            default -> {
                String postgres = GraphqlScalars.POSTGRES.get(scalar);
                if (postgres == null) {
                    yield family != Family.BOOL;
                }
                Family scalarFamily = FAMILIES.get(postgres);
                yield scalarFamily == null ? postgres.equals(column.type()) : scalarFamily == family && scalarFamily != Family.JSONB;
            }
        };
    }

    static boolean isText(ColumnInfo column) {
        return !column.array() && !column.isEnum() && FAMILIES.get(column.type()) == Family.TEXT;
    }

    /** The types of the extension operators' columns (PostGIS, raster, ltree), by the columns they apply to. */
    static java.util.List<String> extensionTypes(io.joinery.policies.boolexp.ComparisonOperator.Applies applies) {
        return switch (applies) {
            case GEOMETRY -> java.util.List.of("geometry");
            case SPATIAL -> java.util.List.of("geometry", "geography");
            case RASTER -> java.util.List.of("raster");
            case LTREE -> java.util.List.of("ltree");
            case ANY, TEXT, JSONB -> throw new IllegalArgumentException("not an extension's operators: " + applies);
        };
    }

    static boolean isJsonb(ColumnInfo column) {
        return !column.array() && column.type().equals("jsonb");
    }
}
