package io.joinery.proxy.schema;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.GraphQLScalarType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Postgres-named scalars ({@code bigint}, {@code uuid}, {@code timestamptz}, {@code jsonb}, …).
 * They accept what JSON can carry; Postgres itself checks the value when the bind parameter is
 * cast to the column type, and a bad value becomes a {@code data-exception}; except the few Hasura
 * checks itself ({@link ScalarSyntax}: {@code ltree}, {@code raster}).
 */
public final class JsonScalars {

    private JsonScalars() {
    }

    public static GraphQLScalarType scalar(String name) {
        return GraphQLScalarType.newScalar().name(name)
                .coercing(ScalarSyntax.checks(name) ? new ScalarSyntax.Checked(name) : new PassThrough(name)).build();
    }

    /** A literal from the query as the Java value a variable of the same content would have. */
    public static Object literal(Value<?> value, Map<String, Object> variables) {
        return switch (value) {
            case NullValue n -> null;
            case IntValue i -> i.getValue();
            case FloatValue f -> f.getValue();
            case StringValue s -> s.getValue();
            case BooleanValue b -> b.isValue();
            case EnumValue e -> e.getName();
            case VariableReference v -> variables.get(v.getName());
            case ArrayValue a -> {
                List<Object> items = new ArrayList<>();
                a.getValues().forEach(item -> items.add(literal(item, variables)));
                yield items;
            }
            case ObjectValue o -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                o.getObjectFields().forEach(f -> fields.put(f.getName(), literal(f.getValue(), variables)));
                yield fields;
            }
            default -> throw new CoercingParseLiteralException("unsupported literal " + value);
        };
    }

    private record PassThrough(String name) implements Coercing<Object, Object> {

        @Override
        public Object serialize(Object result, GraphQLContext context, Locale locale) {
            return result;
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            return input;
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            return literal(input, variables.toMap());
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return input == null ? NullValue.of() : StringValue.of(String.valueOf(input));
        }
    }
}
