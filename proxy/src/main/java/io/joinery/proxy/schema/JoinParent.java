package io.joinery.proxy.schema;

import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.util.Optional;

/**
 * The side a remote relationship starts from, whose values its {@code $name} templates and keys
 * read: a table's columns, or — for a remote → remote relationship — the scalar fields of a remote
 * schema's object type. A scalar field is seen as a column of its scalar's kind ({@code Int} as
 * {@code int4}-like, {@code String}, {@code ID} and enums as text, …), so the type rules of the
 * keys are the same on both sides.
 */
sealed interface JoinParent {

    /** The prefix of the relationship's problems, e.g. {@code table author, remote relationship profile: }. */
    String where(String relationship);

    /** The key of that name — a column, or a scalar field as a column — or empty. */
    Optional<ColumnModel> key(String name);

    /** Why {@code name} is not a key: {@code is not a column of public.author}. */
    String notAKey(String name);

    /** What a key is called in problems: {@code column} or {@code field}. */
    String keyWord();

    /** What the parent is called in problems: {@code table} or {@code type}. */
    String noun();

    /** Whether the parent already has a field of this name. */
    boolean collides(String name);

    /** {@code column type int4}, {@code field type String}. */
    default String typeOf(ColumnModel key) {
        return keyWord() + " type " + key.sqlType() + (key.array() ? "[]" : "");
    }

    /** A table: its columns are the keys, and its scalar computed fields without {@code args} (Hasura's {@code hasura_fields} may name them). */
    record Table(TableModel table) implements JoinParent {

        @Override
        public String where(String relationship) {
            return "table " + table.name() + ", remote relationship " + relationship + ": ";
        }

        @Override
        public Optional<ColumnModel> key(String name) {
            return table.column(name).or(() -> Optional.ofNullable(table.computedFields().get(name))
                    .filter(computed -> !computed.returnsRows() && computed.filterable()).map(ComputedFieldModel::scalar));
        }

        @Override
        public String notAKey(String name) {
            ComputedFieldModel computed = table.computedFields().get(name);
            return computed == null ? "is not a column of " + table.name()
                    : "is a computed field of " + table.name() + (computed.returnsRows() ? " returning rows" : " that takes args")
                    + ", which cannot be a key";
        }

        @Override
        public String keyWord() {
            return "column";
        }

        @Override
        public String noun() {
            return "table";
        }

        @Override
        public boolean collides(String name) {
            return table.columnByGraphqlName(name).isPresent() || table.relationships().containsKey(name);
        }
    }

    /** An object type of remote schema {@code remote} (its own names): its scalar and enum fields without required arguments are the keys. */
    record RemoteType(String remote, GraphQLObjectType type) implements JoinParent {

        @Override
        public String where(String relationship) {
            return "remote schema '" + remote + "', type " + type.getName() + ", relationship " + relationship + ": ";
        }

        @Override
        public Optional<ColumnModel> key(String name) {
            GraphQLFieldDefinition field = type.getFieldDefinition(name);
            if (field == null || field.getArguments().stream().anyMatch(a -> a.getType() instanceof GraphQLNonNull && !a.hasSetDefaultValue())) {
                return Optional.empty();
            }
            GraphQLType value = field.getType() instanceof GraphQLNonNull nonNull ? nonNull.getWrappedType() : field.getType();
            ScalarKind kind = switch (value) {
                case GraphQLEnumType e -> ScalarKind.STRING;
                case GraphQLScalarType scalar -> switch (scalar.getName()) {
                    case "Int" -> ScalarKind.INT;
                    case "Float" -> ScalarKind.FLOAT;
                    case "Boolean" -> ScalarKind.BOOLEAN;
                    case "String", "ID" -> ScalarKind.STRING;
                    default -> ScalarKind.OTHER;
                };
                default -> null;
            };
            if (kind == null) {
                return Optional.empty();
            }
            String typeName = ((graphql.schema.GraphQLNamedType) value).getName();
            return Optional.of(new ColumnModel(name, name, typeName, typeName, kind, false, !(field.getType() instanceof GraphQLNonNull)));
        }

        @Override
        public String notAKey(String name) {
            GraphQLFieldDefinition field = type.getFieldDefinition(name);
            if (field == null) {
                return "is not a field of type " + type.getName();
            }
            return "is not a scalar field of type " + type.getName() + " without required arguments (it is "
                    + GraphQLTypeUtil.simplePrint(field.getType()) + ")";
        }

        @Override
        public String keyWord() {
            return "field";
        }

        @Override
        public String noun() {
            return "type";
        }

        @Override
        public boolean collides(String name) {
            return type.getFieldDefinition(name) != null;
        }
    }
}
