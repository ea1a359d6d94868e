package io.joinery.admin.catalog;

import java.util.Objects;

/**
 * One row of an enum table: its key, which names a value of the GraphQL enum, and the text of its
 * other column, if the table has one, which describes it ({@code null} otherwise).
 */
public record EnumValue(String value, String description) {

    public EnumValue {
        Objects.requireNonNull(value, "value");
    }
}
