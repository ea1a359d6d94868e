package io.joinery.proxy.schema;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The scalars whose values Hasura checks before any SQL, so a malformed one is {@code parse-failed} with
 * Hasura's message rather than a database error: {@code ltree} (labels separated by dots, none empty) and
 * {@code raster} (hex-encoded well-known binary). A failure carries {@link #PARSE_FAILED} in its GraphQL error
 * extensions, which the parse stage and the variable coercion turn into the {@code parse-failed} code.
 */
public final class ScalarSyntax {

    /** The extensions of a value these scalars refuse. */
    public static final Map<String, Object> PARSE_FAILED = Map.of("code", "parse-failed");

    private static final Pattern HEX = Pattern.compile("([0-9A-Fa-f]{2})*");

    private ScalarSyntax() {
    }

    /** Whether {@code name} is one of these scalars. */
    static boolean checks(String name) {
        return name.equals("ltree") || name.equals("raster");
    }

    /** What is wrong with {@code value} as a {@code name}, if anything. */
    static Optional<String> problem(String name, Object value) {
        if (!(value instanceof String text)) {
            return Optional.of("expected a string for " + name);
        }
        return switch (name) {
            case "ltree" -> !text.isEmpty() && java.util.Arrays.stream(text.split("\\.", -1)).anyMatch(String::isEmpty)
                    ? Optional.of("Expecting label path: a sequence of zero or more labels separated by dots, for example L1.L2.L3")
                    : Optional.empty();
            case "raster" -> HEX.matcher(text).matches() ? Optional.empty()
                    : Optional.of("invalid hexadecimal representation of raster well known binary format");
            default -> Optional.empty();
        };
    }

    /** The coercing of a checked scalar: strings only, checked, passed on as they are. */
    record Checked(String name) implements Coercing<Object, Object> {

        @Override
        public Object serialize(Object result, GraphQLContext context, Locale locale) {
            return result;
        }

        @Override
        public Object parseValue(Object input, GraphQLContext context, Locale locale) {
            problem(name, input).ifPresent(message -> {
                throw CoercingParseValueException.newCoercingParseValueException().message(message).extensions(PARSE_FAILED).build();
            });
            return input;
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            Object value = input instanceof StringValue string ? string.getValue() : input;
            problem(name, value).ifPresent(message -> {
                throw CoercingParseLiteralException.newCoercingParseLiteralException().message(message).extensions(PARSE_FAILED).build();
            });
            return value;
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.of(String.valueOf(input));
        }
    }
}
