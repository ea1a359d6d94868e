package io.joinery.proxy.schema;

import io.joinery.admin.catalog.EnumValue;

import java.util.List;

/**
 * The GraphQL enum of an enum table ({@code is_enum: true}), named {@code <table type name>_enum} as in
 * Hasura: one value per row, named by the row's key and described by its other column. Every column
 * with a foreign key to that key carries it ({@link ColumnModel#enumType()}) and shows it in every
 * role's schema, whether the role may read the enum table or not. Its values are data, not plan
 * structure: they bind as text parameters, like the strings they stand for.
 */
public record EnumTypeModel(String name, List<EnumValue> values) {

    public EnumTypeModel {
        values = List.copyOf(values);
    }
}
