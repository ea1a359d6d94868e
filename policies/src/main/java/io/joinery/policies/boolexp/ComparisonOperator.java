package io.joinery.policies.boolexp;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Hasura's comparison operators, as Hasura spells them, with the operand each takes and the columns
 * it applies to. The one list: the consistency checks, the planner and the compiler switch over it,
 * so a new operator breaks the build wherever it must be handled.
 */
public enum ComparisonOperator {
    EQ("_eq", Operand.VALUE, Applies.ANY),
    NEQ("_neq", Operand.VALUE, Applies.ANY),
    GT("_gt", Operand.VALUE, Applies.ANY),
    LT("_lt", Operand.VALUE, Applies.ANY),
    GTE("_gte", Operand.VALUE, Applies.ANY),
    LTE("_lte", Operand.VALUE, Applies.ANY),
    IN("_in", Operand.LIST, Applies.ANY),
    NIN("_nin", Operand.LIST, Applies.ANY),
    IS_NULL("_is_null", Operand.BOOLEAN, Applies.ANY),
    LIKE("_like", Operand.VALUE, Applies.TEXT),
    NLIKE("_nlike", Operand.VALUE, Applies.TEXT),
    ILIKE("_ilike", Operand.VALUE, Applies.TEXT),
    NILIKE("_nilike", Operand.VALUE, Applies.TEXT),
    SIMILAR("_similar", Operand.VALUE, Applies.TEXT),
    NSIMILAR("_nsimilar", Operand.VALUE, Applies.TEXT),
    REGEX("_regex", Operand.VALUE, Applies.TEXT),
    IREGEX("_iregex", Operand.VALUE, Applies.TEXT),
    NREGEX("_nregex", Operand.VALUE, Applies.TEXT),
    NIREGEX("_niregex", Operand.VALUE, Applies.TEXT),
    CONTAINS("_contains", Operand.JSON, Applies.JSONB),
    CONTAINED_IN("_contained_in", Operand.JSON, Applies.JSONB),
    HAS_KEY("_has_key", Operand.VALUE, Applies.JSONB),
    HAS_KEYS_ANY("_has_keys_any", Operand.LIST, Applies.JSONB),
    HAS_KEYS_ALL("_has_keys_all", Operand.LIST, Applies.JSONB),
    /** The column comparisons of permissions; {@code _cne} and {@code _cneq} are two spellings of one. */
    CEQ("_ceq", Operand.COLUMN, Applies.ANY),
    CNE("_cne", Operand.COLUMN, Applies.ANY),
    CNEQ("_cneq", Operand.COLUMN, Applies.ANY),
    CGT("_cgt", Operand.COLUMN, Applies.ANY),
    CLT("_clt", Operand.COLUMN, Applies.ANY),
    CGTE("_cgte", Operand.COLUMN, Applies.ANY),
    CLTE("_clte", Operand.COLUMN, Applies.ANY),
    /** PostGIS: the column's geometry and the value, as {@code ST_Contains(column, value)} and so on. */
    ST_CONTAINS("_st_contains", Operand.VALUE, Applies.GEOMETRY),
    ST_CROSSES("_st_crosses", Operand.VALUE, Applies.GEOMETRY),
    ST_EQUALS("_st_equals", Operand.VALUE, Applies.GEOMETRY),
    ST_INTERSECTS("_st_intersects", Operand.VALUE, Applies.SPATIAL),
    ST_OVERLAPS("_st_overlaps", Operand.VALUE, Applies.GEOMETRY),
    ST_TOUCHES("_st_touches", Operand.VALUE, Applies.GEOMETRY),
    ST_WITHIN("_st_within", Operand.VALUE, Applies.GEOMETRY),
    /** {@code {distance, from, use_spheroid}}: {@code ST_DWithin(column, from, distance[, use_spheroid])}. */
    ST_D_WITHIN("_st_d_within", Operand.FIELDS, Applies.SPATIAL),
    ST_3D_D_WITHIN("_st_3d_d_within", Operand.FIELDS, Applies.GEOMETRY),
    ST_3D_INTERSECTS("_st_3d_intersects", Operand.VALUE, Applies.GEOMETRY),
    /** PostGIS raster: {@code ST_Intersects(column, raster)}, with {@code {nband, geommin}} in either order. */
    ST_INTERSECTS_RAST("_st_intersects_rast", Operand.VALUE, Applies.RASTER),
    ST_INTERSECTS_NBAND_GEOM("_st_intersects_nband_geom", Operand.FIELDS, Applies.RASTER),
    ST_INTERSECTS_GEOM_NBAND("_st_intersects_geom_nband", Operand.FIELDS, Applies.RASTER),
    /** ltree: {@code @>}, {@code <@} (with any of a list), {@code ~} lquery, {@code ?} lquery[], {@code @} ltxtquery. */
    ANCESTOR("_ancestor", Operand.VALUE, Applies.LTREE),
    ANCESTOR_ANY("_ancestor_any", Operand.LIST, Applies.LTREE),
    DESCENDANT("_descendant", Operand.VALUE, Applies.LTREE),
    DESCENDANT_ANY("_descendant_any", Operand.LIST, Applies.LTREE),
    MATCHES("_matches", Operand.VALUE, Applies.LTREE),
    MATCHES_ANY("_matches_any", Operand.LIST, Applies.LTREE),
    MATCHES_FULLTEXT("_matches_fulltext", Operand.VALUE, Applies.LTREE);

    /** What an operator compares its subject with. */
    public enum Operand {
        /** One value of the column's type (or text, for the text and key operators); a session variable in a permission. */
        VALUE,
        /** A list of values, or in a permission a session variable holding one. */
        LIST,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** Another column: {@code "name"} of the same row, {@code ["$", "name"]} of the row the permission is for. */
        COLUMN,
        /** A JSON value (a jsonb document to contain or be contained in). */
        JSON,
        /**
         * An object of named operands ({@code {distance: 1, from: {...}}}); in a permission each field may be a
         * session variable.
         */
        FIELDS
    }

    /**
     * The columns an operator applies to: any, text, jsonb, PostGIS {@code geometry} only, {@code geometry} or
     * {@code geography}, {@code raster}, {@code ltree}.
     */
    public enum Applies {
        ANY, TEXT, JSONB, GEOMETRY, SPATIAL, RASTER, LTREE
    }

    private static final Map<String, ComparisonOperator> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ComparisonOperator::hasuraName, Function.identity()));

    private final String hasuraName;
    private final Operand operand;
    private final Applies applies;

    ComparisonOperator(String hasuraName, Operand operand, Applies applies) {
        this.hasuraName = hasuraName;
        this.operand = operand;
        this.applies = applies;
    }

    /** The operator Hasura spells {@code name} ({@code _eq}, {@code _has_key}, …). */
    public static Optional<ComparisonOperator> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public String hasuraName() {
        return hasuraName;
    }

    public Operand operand() {
        return operand;
    }

    public Applies applies() {
        return applies;
    }

    /** Whether it compares two columns ({@code _ceq}, …), which Hasura allows in permissions only. */
    public boolean comparesColumns() {
        return operand == Operand.COLUMN;
    }

    @Override
    public String toString() {
        return hasuraName;
    }
}
