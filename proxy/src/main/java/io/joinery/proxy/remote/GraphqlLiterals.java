package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;
import io.joinery.proxy.schema.JoinForm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON values (row keys, argument templates) as GraphQL literals of the type the remote expects:
 * an enum becomes an enum value, a number sent to a {@code String} becomes a string. Literals are
 * AST nodes, printed by graphql-java, so a value can never change the shape of the query.
 */
public final class GraphqlLiterals {

    private GraphqlLiterals() {
    }

    /** Fills a template: {@code "$column"} strings take the row's value of that column. */
    public static Value<?> fill(JsonNode template, GraphQLInputType type, Map<String, JsonNode> row) {
        if (template.isTextual() && template.textValue().startsWith("$")) {
            JsonNode value = row.get(template.textValue().substring(1));
            return literal(value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value, type);
        }
        GraphQLInputType unwrapped = unwrapNonNull(type);
        if (template.isObject() && unwrapped instanceof GraphQLInputObjectType object) {
            List<ObjectField> fields = new ArrayList<>();
            template.properties().forEach(e -> {
                GraphQLInputObjectField field = object.getField(e.getKey());
                GraphQLInputType fieldType = field == null ? null : field.getType();
                fields.add(ObjectField.newObjectField().name(e.getKey()).value(fill(e.getValue(), fieldType, row)).build());
            });
            return ObjectValue.newObjectValue().objectFields(fields).build();
        }
        if (template.isArray()) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : unwrapped;
            List<Value> values = new ArrayList<>();
            template.forEach(t -> values.add(fill(t, item, row)));
            return ArrayValue.newArrayValue().values(values).build();
        }
        return literal(template, type);
    }

    /**
     * Fills a batch template for several distinct key tuples ({@code columns} name their values):
     * {@code "$column"} becomes the list of that column's distinct values; a list template of one
     * element that uses columns becomes one element per distinct tuple, filled as by {@link #fill}.
     * See {@link JoinForm.ListArgument}.
     */
    public static Value<?> fillBatch(JsonNode template, GraphQLInputType type, List<String> columns, List<List<JsonNode>> tuples) {
        return fillBatch(template, type, columns, tuples, null);
    }

    /**
     * Like {@link #fillBatch(JsonNode, GraphQLInputType, List, List)}, but a list of keys where the
     * remote declares a list type goes as a variable of {@code keys}: a remote parses a JSON list of
     * 500 keys in microseconds, and the same keys as literals in milliseconds (the benchmark).
     */
    public static Value<?> fillBatch(JsonNode template, GraphQLInputType type, List<String> columns, List<List<JsonNode>> tuples,
                              KeyVariables keys) {
        GraphQLInputType unwrapped = unwrapNonNull(type);
        if (template.isTextual() && template.textValue().startsWith("$")) {
            int column = columns.indexOf(template.textValue().substring(1));
            java.util.Set<JsonNode> distinct = new java.util.LinkedHashSet<>();
            for (List<JsonNode> tuple : tuples) {
                if (column >= 0 && !tuple.get(column).isNull()) {
                    distinct.add(tuple.get(column));
                }
            }
            var values = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            distinct.forEach(values::add);
            if (keys != null && unwrapped instanceof GraphQLList list) {
                GraphQLInputType item = (GraphQLInputType) list.getWrappedType();
                List<Object> converted = new ArrayList<>();
                values.forEach(v -> converted.add(variableValue(v, item)));
                return keys.add(type, converted);
            }
            return literal(values, type);
        }
        if (template.isObject() && unwrapped instanceof GraphQLInputObjectType object) {
            List<ObjectField> fields = new ArrayList<>();
            template.properties().forEach(e -> {
                GraphQLInputObjectField field = object.getField(e.getKey());
                GraphQLInputType fieldType = field == null ? null : field.getType();
                fields.add(ObjectField.newObjectField().name(e.getKey()).value(fillBatch(e.getValue(), fieldType, columns, tuples, keys)).build());
            });
            return ObjectValue.newObjectValue().objectFields(fields).build();
        }
        if (template.isArray() && template.size() == 1 && usesColumns(template.get(0))) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : unwrapped;
            if (keys != null && unwrapped instanceof GraphQLList && typed(template.get(0), item)) {
                List<Object> tuplesAsValues = new ArrayList<>();
                for (Map<String, JsonNode> row : distinctRows(template.get(0), columns, tuples)) {
                    tuplesAsValues.add(variable(template.get(0), item, row));
                }
                return keys.add(type, tuplesAsValues);
            }
            List<Value> values = new ArrayList<>();
            for (Map<String, JsonNode> row : distinctRows(template.get(0), columns, tuples)) {
                values.add(fill(template.get(0), item, row));
            }
            return ArrayValue.newArrayValue().values(values).build();
        }
        return literal(template, type);
    }

    /** Whether every input field {@code template} names is declared, so that its variable can be typed. */
    private static boolean typed(JsonNode template, GraphQLInputType type) {
        GraphQLInputType unwrapped = type == null ? null : unwrapNonNull(type);
        if (unwrapped == null) {
            return false;
        }
        if (template.isObject()) {
            if (!(unwrapped instanceof GraphQLInputObjectType object)) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : template.properties()) {
                GraphQLInputObjectField field = object.getField(e.getKey());
                if (field == null || !typed(e.getValue(), field.getType())) {
                    return false;
                }
            }
            return true;
        }
        if (template.isArray()) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : unwrapped;
            for (JsonNode element : template) {
                if (!typed(element, item)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * {@link #fill}, as the JSON value of a variable rather than a literal: a composite key
     * ({@code [{authorId: $author_id, lang: $lang}]}) goes as one list variable of objects, which a
     * remote reads far faster than the same objects written into the document.
     */
    private static Object variable(JsonNode template, GraphQLInputType type, Map<String, JsonNode> row) {
        if (template.isTextual() && template.textValue().startsWith("$")) {
            JsonNode value = row.get(template.textValue().substring(1));
            return value == null || value.isNull() ? null : variableValue(value, type);
        }
        GraphQLInputType unwrapped = unwrapNonNull(type);
        if (template.isObject() && unwrapped instanceof GraphQLInputObjectType object) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            template.properties().forEach(e -> fields.put(e.getKey(), variable(e.getValue(), object.getField(e.getKey()).getType(), row)));
            return fields;
        }
        if (template.isArray()) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : unwrapped;
            List<Object> values = new ArrayList<>();
            template.forEach(t -> values.add(variable(t, item, row)));
            return values;
        }
        return template.isNull() ? null : variableValue(template, type);
    }

    /** Lists of keys sent as variables: their definitions and values, named {@code joinery_keys_N}. */
    public static final class KeyVariables {
        public final List<graphql.language.VariableDefinition> definitions = new ArrayList<>();
        public final Map<String, Object> values = new java.util.LinkedHashMap<>();

        graphql.language.VariableReference add(GraphQLInputType type, List<Object> keys) {
            String name = "joinery_keys_" + definitions.size();
            definitions.add(graphql.language.VariableDefinition.newVariableDefinition(name, astType(type)).build());
            values.put(name, keys);
            return graphql.language.VariableReference.of(name);
        }
    }

    private static graphql.language.Type<?> astType(graphql.schema.GraphQLType type) {
        return switch (type) {
            case graphql.schema.GraphQLNonNull nonNull -> graphql.language.NonNullType.newNonNullType(astType(nonNull.getWrappedType())).build();
            case GraphQLList list -> graphql.language.ListType.newListType(astType(list.getWrappedType())).build();
            case graphql.schema.GraphQLNamedType named -> graphql.language.TypeName.newTypeName(named.getName()).build();
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    /** A key as the JSON value a variable of {@code type} accepts (numbers for String become text, and so on). */
    private static Object variableValue(JsonNode value, GraphQLInputType type) {
        GraphQLInputType unwrapped = unwrapNonNull(type);
        if (unwrapped instanceof GraphQLScalarType scalar && value.isValueNode()) {
            switch (scalar.getName()) {
                case "String" -> {
                    return value.asText();
                }
                case "ID" -> {
                    return value.isIntegralNumber() ? value.bigIntegerValue() : value.asText();
                }
                case "Int" -> {
                    return value.isTextual() ? new java.math.BigInteger(value.textValue()) : value.bigIntegerValue();
                }
                default -> {
                }
            }
        }
        if (unwrapped instanceof GraphQLEnumType) {
            return value.asText();
        }
        return value.isIntegralNumber() ? value.bigIntegerValue() : value.isNumber() ? value.decimalValue()
                : value.isBoolean() ? value.booleanValue() : value.isTextual() ? value.textValue() : value;
    }

    /** Whether a template reads any {@code $column}. */
    public static boolean usesColumns(JsonNode template) {
        if (template.isTextual()) {
            return template.textValue().startsWith("$");
        }
        for (JsonNode child : template) {
            if (usesColumns(child)) {
                return true;
            }
        }
        return false;
    }

    /** The tuples as rows (column → value), restricted to the columns the template reads, without repeats. */
    private static java.util.Collection<Map<String, JsonNode>> distinctRows(JsonNode template, List<String> columns, List<List<JsonNode>> tuples) {
        java.util.Set<String> used = new java.util.HashSet<>();
        collectColumns(template, used);
        java.util.Set<Map<String, JsonNode>> rows = new java.util.LinkedHashSet<>();
        for (List<JsonNode> tuple : tuples) {
            Map<String, JsonNode> row = new java.util.LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                if (used.contains(columns.get(c))) {
                    row.put(columns.get(c), tuple.get(c));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static void collectColumns(JsonNode template, java.util.Set<String> used) {
        if (template.isTextual() && template.textValue().startsWith("$")) {
            used.add(template.textValue().substring(1));
        }
        template.forEach(child -> collectColumns(child, used));
    }

    /** A GraphQL name: what an enum value must be. */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[_A-Za-z][_0-9A-Za-z]*");

    /**
     * {@link #literal} as graphql-java's compact printer writes it; an integer that the literal
     * would make an int value is written as its digits without building the literal (a per-key
     * join writes one per key: Note [Per-key documents as text] in {@code join.PerKeyDocument}).
     */
    public static void print(StringBuilder out, JsonNode value, GraphQLInputType type) {
        if (value != null && value.isIntegralNumber() && !stringScalar(type)) {
            if (value.canConvertToLong()) {
                out.append(value.longValue());
            } else {
                out.append(value.bigIntegerValue());
            }
            return;
        }
        Value<?> literal = literal(value, type);
        out.append(literal instanceof IntValue integer ? integer.getValue().toString() : graphql.language.AstPrinter.printAstCompact(literal));
    }

    /** Whether {@link #literal} writes a number as a string for {@code type}: a {@code String}, or a list of them. */
    private static boolean stringScalar(GraphQLInputType type) {
        GraphQLInputType unwrapped = unwrapNonNull(type);
        while (unwrapped instanceof GraphQLList list) {
            unwrapped = unwrapNonNull((GraphQLInputType) list.getWrappedType());
        }
        return unwrapped instanceof GraphQLScalarType scalar && scalar.getName().equals("String");
    }

    /** A JSON value as a literal of {@code type} (null: as the JSON says). */
    public static Value<?> literal(JsonNode value, GraphQLInputType type) {
        GraphQLInputType unwrapped = unwrapNonNull(type);
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.of();
        }
        if (unwrapped instanceof GraphQLList list && !value.isArray()) {
            return literal(value, (GraphQLInputType) list.getWrappedType());
        }
        if (unwrapped instanceof GraphQLEnumType && value.isTextual()) {
            // a value that is not a GraphQL name goes as a string, which the remote refuses for its enum: printed
            // as an enum value, it would be written into the document as it is
            return NAME.matcher(value.textValue()).matches() ? EnumValue.of(value.textValue()) : StringValue.of(value.textValue());
        }
        if (unwrapped instanceof GraphQLScalarType scalar && value.isValueNode()) {
            switch (scalar.getName()) {
                case "String" -> {
                    return StringValue.of(value.asText());
                }
                case "ID" -> {
                    return value.isIntegralNumber() ? IntValue.newIntValue(value.bigIntegerValue()).build() : StringValue.of(value.asText());
                }
                case "Int" -> {
                    if (value.isTextual()) {
                        return IntValue.newIntValue(new java.math.BigInteger(value.textValue())).build();
                    }
                }
                default -> {
                }
            }
        }
        if (value.isIntegralNumber()) {
            return IntValue.newIntValue(value.bigIntegerValue()).build();
        }
        if (value.isNumber()) {
            return FloatValue.newFloatValue(value.decimalValue()).build();
        }
        if (value.isBoolean()) {
            return BooleanValue.of(value.booleanValue());
        }
        if (value.isTextual()) {
            return StringValue.of(value.textValue());
        }
        if (value.isArray()) {
            GraphQLInputType item = unwrapped instanceof GraphQLList list ? (GraphQLInputType) list.getWrappedType() : null;
            List<Value> values = new ArrayList<>();
            value.forEach(v -> values.add(literal(v, item)));
            return ArrayValue.newArrayValue().values(values).build();
        }
        List<ObjectField> fields = new ArrayList<>();
        value.properties().forEach(e -> {
            GraphQLInputType fieldType = unwrapped instanceof GraphQLInputObjectType object && object.getField(e.getKey()) != null
                    ? object.getField(e.getKey()).getType() : null;
            fields.add(ObjectField.newObjectField().name(e.getKey()).value(literal(e.getValue(), fieldType)).build());
        });
        return ObjectValue.newObjectValue().objectFields(fields).build();
    }

    private static GraphQLInputType unwrapNonNull(GraphQLInputType type) {
        return type instanceof GraphQLNonNull nonNull ? (GraphQLInputType) nonNull.getWrappedType() : type;
    }
}
