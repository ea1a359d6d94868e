package io.joinery.proxy.schema;

import graphql.Scalars;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;

import java.util.Map;
import java.util.function.Function;

/**
 * The comparison operators of the column types Postgres extensions bring, as Hasura names them: PostGIS
 * {@code geometry} ({@code _st_contains}, …, {@code _st_d_within: st_d_within_input}, {@code _cast: {geography}}),
 * {@code geography} ({@code _st_intersects}, {@code _st_d_within: st_d_within_geography_input},
 * {@code _cast: {geometry}}), {@code raster} ({@code _st_intersects_rast}, {@code _st_intersects_nband_geom},
 * {@code _st_intersects_geom_nband}) and {@code ltree} ({@code _ancestor}, {@code _matches}, …). Their values are
 * scalars of the type's own name; the SQL is {@code compile.ExtensionTypeSql}'s (Note [Extension types]).
 */
final class ExtensionComparisons {

    private final Map<String, GraphQLType> types;
    private final Function<String, GraphQLType> scalar;
    private final Function<ColumnModel, GraphQLInputType> comparison;

    /**
     * @param types      the schema's named types, to which the operand input types are added once
     * @param scalar     the scalar of a name, registered once
     * @param comparison the {@code <type>_comparison_exp} of a column, for the casts
     */
    ExtensionComparisons(Map<String, GraphQLType> types, Function<String, GraphQLType> scalar,
                         Function<ColumnModel, GraphQLInputType> comparison) {
        this.types = types;
        this.scalar = scalar;
        this.comparison = comparison;
    }

    /** Adds the column type's own operators to its comparison expression; none for other types. */
    void add(ColumnModel column, GraphQLInputObjectType.Builder exp) {
        if (column.array() || column.enumReference()) {
            return;
        }
        switch (column.sqlType()) {
            case "geometry" -> geometry(exp);
            case "geography" -> geography(exp);
            case "raster" -> raster(exp);
            case "ltree" -> ltree(exp);
            default -> {
            }
        }
    }

    private void geometry(GraphQLInputObjectType.Builder exp) {
        GraphQLInputType geometry = value("geometry");
        exp.field(field("_cast", cast("geometry", "geography")));
        for (String op : new String[]{"_st_3d_intersects", "_st_contains", "_st_crosses", "_st_equals", "_st_intersects",
                "_st_overlaps", "_st_touches", "_st_within"}) {
            exp.field(field(op, geometry));
        }
        GraphQLInputType within = input("st_d_within_input", type -> type
                .field(field("distance", GraphQLNonNull.nonNull(Scalars.GraphQLFloat)))
                .field(field("from", GraphQLNonNull.nonNull(geometry))));
        exp.field(field("_st_3d_d_within", within));
        exp.field(field("_st_d_within", within));
    }

    private void geography(GraphQLInputObjectType.Builder exp) {
        GraphQLInputType geography = value("geography");
        exp.field(field("_cast", cast("geography", "geometry")));
        exp.field(field("_st_d_within", input("st_d_within_geography_input", type -> type
                .field(field("distance", GraphQLNonNull.nonNull(Scalars.GraphQLFloat)))
                .field(field("from", GraphQLNonNull.nonNull(geography)))
                .field(GraphQLInputObjectField.newInputObjectField().name("use_spheroid").type(Scalars.GraphQLBoolean)
                        .defaultValueProgrammatic(true).build()))));
        exp.field(field("_st_intersects", geography));
    }

    private void raster(GraphQLInputObjectType.Builder exp) {
        GraphQLInputType geometry = value("geometry");
        exp.field(field("_st_intersects_geom_nband", input("st_intersects_geom_nband_input", type -> type
                .field(field("geommin", GraphQLNonNull.nonNull(geometry)))
                .field(field("nband", Scalars.GraphQLInt)))));
        exp.field(field("_st_intersects_nband_geom", input("st_intersects_nband_geom_input", type -> type
                .field(field("geommin", GraphQLNonNull.nonNull(geometry)))
                .field(field("nband", GraphQLNonNull.nonNull(Scalars.GraphQLInt))))));
        exp.field(field("_st_intersects_rast", value("raster")));
    }

    private void ltree(GraphQLInputObjectType.Builder exp) {
        GraphQLInputType ltree = value("ltree");
        exp.field(field("_ancestor", ltree));
        exp.field(field("_ancestor_any", GraphQLList.list(GraphQLNonNull.nonNull(ltree))));
        exp.field(field("_descendant", ltree));
        exp.field(field("_descendant_any", GraphQLList.list(GraphQLNonNull.nonNull(ltree))));
        exp.field(field("_matches", value("lquery")));
        exp.field(field("_matches_any", GraphQLList.list(GraphQLNonNull.nonNull(Scalars.GraphQLString))));
        exp.field(field("_matches_fulltext", value("ltxtquery")));
    }

    /** {@code <from>_cast_exp {<to>: <to>_comparison_exp}}. */
    private GraphQLInputType cast(String from, String to) {
        String name = from + "_cast_exp";
        if (!types.containsKey(name)) {
            // Registered before the target's comparison is built: geometry's and geography's refer to each other.
            types.put(name, GraphQLInputObjectType.newInputObject().name(name)
                    .field(field(to, GraphQLTypeReference.typeRef(to + "_comparison_exp"))).build());
            comparison.apply(new ColumnModel(to, to, to, to, ScalarKind.OTHER, false, true));
        }
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLInputType input(String name, Function<GraphQLInputObjectType.Builder, GraphQLInputObjectType.Builder> fields) {
        if (!types.containsKey(name)) {
            types.put(name, fields.apply(GraphQLInputObjectType.newInputObject().name(name)).build());
        }
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLInputType value(String name) {
        return (GraphQLInputType) scalar.apply(name);
    }

    private static GraphQLInputObjectField field(String name, GraphQLInputType type) {
        return GraphQLInputObjectField.newInputObjectField().name(name).type(type).build();
    }
}
