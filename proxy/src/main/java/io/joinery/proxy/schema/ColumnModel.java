package io.joinery.proxy.schema;

/**
 * A column as the engine sees it: its Postgres name and SQL type (to cast bind parameters to), its
 * GraphQL field name and scalar.
 */
public record ColumnModel(String column, String graphqlName, String sqlType, String scalarName, ScalarKind kind,
                          boolean array, boolean nullable) {

    /** The GraphQL scalar name of one value (the element for arrays). */
    public String scalar() {
        return scalarName;
    }
}
