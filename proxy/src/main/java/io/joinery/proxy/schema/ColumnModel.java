package io.joinery.proxy.schema;

/**
 * A column as the engine sees it: its Postgres name and SQL type (to cast bind parameters to), its
 * GraphQL field name and scalar. A column with a foreign key to an enum table's key has that table's
 * {@code enumType}, whose name is then its GraphQL type; SQL still sees its text.
 */
public record ColumnModel(String column, String graphqlName, String sqlType, String scalarName, ScalarKind kind,
                          boolean array, boolean nullable, EnumTypeModel enumType) {

    /** A column of a scalar type. */
    public ColumnModel(String column, String graphqlName, String sqlType, String scalarName, ScalarKind kind,
                       boolean array, boolean nullable) {
        this(column, graphqlName, sqlType, scalarName, kind, array, nullable, null);
    }

    /**
     * The SQL type of a type the search path does not find by its name ({@code information_schema.sql_identifier},
     * an enum of another schema): schema and name joined by NUL, which no identifier may hold, so that the one
     * quoting function ({@code SqlWriter}) quotes each part.
     */
    public static String qualifiedType(String schema, String name) {
        return schema + '\0' + name;
    }

    /** The GraphQL type name of one value (the element for arrays): a scalar, or the enum of an enum table. */
    public String scalar() {
        return scalarName;
    }

    /** Whether the column takes the values of an enum table. */
    public boolean enumReference() {
        return enumType != null;
    }

    /** This column typed by {@code enumType}. */
    public ColumnModel withEnumType(EnumTypeModel type) {
        return new ColumnModel(column, graphqlName, sqlType, type.name(), kind, array, nullable, type);
    }
}
