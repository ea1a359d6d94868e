package io.joinery.proxy.compile;

import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.plan.PlanException;
import io.joinery.proxy.plan.PlanValue;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.sql.BindMode;
import io.joinery.proxy.sql.SqlWriter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The SQL of the column types Postgres extensions bring, as Hasura writes it: PostGIS {@code geometry}
 * and {@code geography} (GeoJSON in and out), {@code raster} (hex WKB in) and {@code ltree}. See
 * Note [Extension types].
 *
 * <p>Note [Extension types]: Hasura reads a geometry or geography value as GeoJSON
 * ({@code ST_GeomFromGeoJSON($n)}, cast to geography for a geography), a raster as hex WKB
 * ({@code ST_RastFromHexWKB($n)}), and writes geometry and geography columns as
 * {@code ST_AsGeoJSON(column, 15, 4)} (15 decimal digits, the long {@code urn:ogc:def:crs:EPSG::…} CRS name).
 * Its operators are PostGIS functions ({@code _st_contains} → {@code ST_Contains(column, value)},
 * {@code _st_d_within} → {@code ST_DWithin(column, from, distance[, use_spheroid])}, raster's
 * {@code _st_intersects_*} → {@code ST_Intersects}) and ltree's operators ({@code @>}, {@code <@}, {@code ~},
 * {@code ?}, {@code @}). The compared subject is cast to the comparison's type, so {@code _cast: {geography: …}}
 * on a geometry column compares {@code column::geography}; a cast to the column's own type is no cast at all
 * for Postgres. Every value is a bind parameter; function names are constants.
 */
final class ExtensionTypeSql {

    private static final Set<String> SPATIAL = Set.of("geometry", "geography", "raster");

    private final SqlWriter out;

    ExtensionTypeSql(SqlWriter out) {
        this.out = out;
    }

    /** Whether this class writes the comparison: every operator on PostGIS types, ltree's own operators. */
    static boolean compares(ColumnModel column, ComparisonOperator op) {
        return !column.array() && (SPATIAL.contains(column.sqlType()) || op.applies() == ComparisonOperator.Applies.LTREE);
    }

    /** A column's value in an answer: GeoJSON for geometry and geography, the column itself otherwise. */
    void value(String alias, ColumnModel column) {
        if (column.array() || !(column.sqlType().equals("geometry") || column.sqlType().equals("geography"))) {
            out.column(alias, column.column());
            return;
        }
        out.sql("ST_AsGeoJSON(").column(alias, column.column()).sql(", 15, 4)::json");
    }

    /** {@code subject <op> value} with the subject of type {@code column.sqlType()}; {@code subject} writes it. */
    void compare(ColumnModel column, ComparisonOperator op, PlanValue value, Runnable subject) {
        String type = column.sqlType();
        switch (op) {
            case EQ -> infix(subject, type, " = ", value);
            case NEQ -> infix(subject, type, " <> ", value);
            case GT -> infix(subject, type, " > ", value);
            case GTE -> infix(subject, type, " >= ", value);
            case LT -> infix(subject, type, " < ", value);
            case LTE -> infix(subject, type, " <= ", value);
            case IN, NIN -> {
                subject(subject, type);
                out.sql(op == ComparisonOperator.IN ? " = ANY (ARRAY(SELECT " : " <> ALL (ARRAY(SELECT ");
                constructor(type, () -> out.sql("v"));
                out.sql(" FROM unnest(").param(value, BindMode.TEXT_ARRAY, null).sql(") AS v))");
            }
            case ST_CONTAINS -> function("ST_Contains", subject, type, value);
            case ST_CROSSES -> function("ST_Crosses", subject, type, value);
            case ST_EQUALS -> function("ST_Equals", subject, type, value);
            case ST_INTERSECTS, ST_INTERSECTS_RAST -> function("ST_Intersects", subject, type, value);
            case ST_OVERLAPS -> function("ST_Overlaps", subject, type, value);
            case ST_TOUCHES -> function("ST_Touches", subject, type, value);
            case ST_WITHIN -> function("ST_Within", subject, type, value);
            case ST_3D_INTERSECTS -> function("ST_3DIntersects", subject, type, value);
            case ST_D_WITHIN, ST_3D_D_WITHIN -> within(op, subject, type, fields(op, value));
            case ST_INTERSECTS_NBAND_GEOM, ST_INTERSECTS_GEOM_NBAND -> bands(op, subject, type, fields(op, value));
            case ANCESTOR -> infix(subject, type, " @> ", value);
            case DESCENDANT -> infix(subject, type, " <@ ", value);
            case ANCESTOR_ANY -> ltreeList(subject, " @> ", value, "ltree");
            case DESCENDANT_ANY -> ltreeList(subject, " <@ ", value, "ltree");
            case MATCHES -> ltree(subject, " ~ ", value, "lquery");
            case MATCHES_ANY -> ltreeList(subject, " ? ", value, "lquery");
            case MATCHES_FULLTEXT -> ltree(subject, " @ ", value, "ltxtquery");
            case IS_NULL, LIKE, NLIKE, ILIKE, NILIKE, SIMILAR, NSIMILAR, REGEX, IREGEX, NREGEX, NIREGEX, CONTAINS, CONTAINED_IN,
                 HAS_KEY, HAS_KEYS_ANY, HAS_KEYS_ALL, CEQ, CNE, CNEQ, CGT, CLT, CGTE, CLTE ->
                    throw new PlanException("operator " + op + " does not apply to " + type, "$");
        }
    }

    private void subject(Runnable subject, String type) {
        out.sql("(");
        subject.run();
        out.sql(")::").ident(type);
    }

    private void infix(Runnable subject, String type, String operator, PlanValue value) {
        subject(subject, type);
        out.sql(operator);
        typed(type, value);
    }

    /** {@code F(subject, value)}. */
    private void function(String name, Runnable subject, String type, PlanValue value) {
        out.sql(name).sql("(");
        subject(subject, type);
        out.sql(", ");
        typed(type, value);
        out.sql(")");
    }

    /** {@code ST_DWithin(subject, from, distance[, use_spheroid])}, {@code ST_3DDWithin(subject, from, distance)}. */
    private void within(ComparisonOperator op, Runnable subject, String type, Map<String, PlanValue> fields) {
        out.sql(op == ComparisonOperator.ST_D_WITHIN ? "ST_DWithin(" : "ST_3DDWithin(");
        subject(subject, type);
        out.sql(", ");
        typed(type, required(op, fields, "from"));
        out.sql(", ").param(required(op, fields, "distance"), BindMode.TEXT, "float8");
        PlanValue spheroid = fields.get("use_spheroid");
        if (spheroid != null && op == ComparisonOperator.ST_D_WITHIN && type.equals("geography")) {
            out.sql(", ").param(spheroid, BindMode.TEXT, "bool");
        }
        out.sql(")");
    }

    /** Raster's {@code ST_Intersects(raster, nband, geometry)} and {@code ST_Intersects(raster, geometry[, nband])}. */
    private void bands(ComparisonOperator op, Runnable subject, String type, Map<String, PlanValue> fields) {
        out.sql("ST_Intersects(");
        subject(subject, type);
        PlanValue geometry = required(op, fields, "geommin");
        if (op == ComparisonOperator.ST_INTERSECTS_NBAND_GEOM) {
            out.sql(", ").param(required(op, fields, "nband"), BindMode.TEXT, "int4").sql(", ");
            typed("geometry", geometry);
        } else {
            out.sql(", ");
            typed("geometry", geometry);
            PlanValue band = fields.get("nband");
            if (band != null) {
                out.sql(", ").param(band, BindMode.TEXT, "int4");
            }
        }
        out.sql(")");
    }

    private void ltree(Runnable subject, String operator, PlanValue value, String valueType) {
        subject(subject, "ltree");
        out.sql(operator).param(value, BindMode.TEXT, valueType);
    }

    private void ltreeList(Runnable subject, String operator, PlanValue value, String itemType) {
        subject(subject, "ltree");
        out.sql(operator).param(value, BindMode.TEXT_ARRAY, itemType);
    }

    /** A value of an operand of type {@code type}: through its constructor for PostGIS types, else cast. */
    private void typed(String type, PlanValue value) {
        if (!SPATIAL.contains(type)) {
            out.param(value, BindMode.TEXT, type);
            return;
        }
        constructor(type, () -> out.param(value, BindMode.TEXT, null));
    }

    /** A PostGIS value from its text: GeoJSON for geometry and geography, hex WKB for a raster. */
    private void constructor(String type, Runnable text) {
        switch (type) {
            case "raster" -> {
                out.sql("ST_RastFromHexWKB(");
                text.run();
                out.sql(")");
            }
            case "geography" -> {
                out.sql("ST_GeomFromGeoJSON(");
                text.run();
                out.sql(")::geography");
            }
            case "geometry" -> {
                out.sql("ST_GeomFromGeoJSON(");
                text.run();
                out.sql(")");
            }
            default -> throw new IllegalArgumentException("not a PostGIS type: " + type);
        }
    }

    /** The named operands of an object operator, whether written field by field or given whole. */
    private static Map<String, PlanValue> fields(ComparisonOperator op, PlanValue value) {
        return switch (value) {
            case PlanValue.Fields fields -> fields.fields();
            case PlanValue.Literal literal when literal.value() instanceof Map<?, ?> map -> {
                Map<String, PlanValue> fields = new LinkedHashMap<>();
                map.forEach((name, field) -> {
                    if (field != null) {
                        fields.put(String.valueOf(name), new PlanValue.Literal(field));
                    }
                });
                yield fields;
            }
            default -> throw new PlanException(op + " takes an object", "$");
        };
    }

    private static PlanValue required(ComparisonOperator op, Map<String, PlanValue> fields, String name) {
        PlanValue value = fields.get(name);
        if (value == null) {
            throw new PlanException(op + " needs '" + name + "'", "$");
        }
        return value;
    }
}
