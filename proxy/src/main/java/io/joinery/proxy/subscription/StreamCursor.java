package io.joinery.proxy.subscription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import io.joinery.proxy.engine.GraphqlEngine;
import io.joinery.proxy.error.ErrorCode;
import io.joinery.proxy.error.JoineryException;
import io.joinery.proxy.plan.QueryPlanner;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RowField;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming subscriber's place in its stream.
 *
 * <p>Note [Streaming subscriptions]: {@code t_stream(batch_size, cursor: {initial_value: {c: v}, ordering}, where)}
 * is planned as a select of {@code t} whose rows come after the cursor ({@code c > $cursor}, or
 * {@code <} for {@code DESC}), ordered by {@code c}, at most {@code batch_size}, with {@code c} read
 * as one more field of each row ({@link QueryPlanner#CURSOR_FIELD}); the cursor is the variable
 * {@link QueryPlanner#CURSOR_VARIABLE}, so one compiled plan serves every subscriber, and a
 * stream's subscribers form a cohort as live queries' do (one statement per refetch), each with its
 * own cursor among its bind values. After each batch the cursor moves to the last row's value, and
 * the rows are sent without that field; an empty batch sends nothing (but the first). Each row is
 * thus sent once, in cursor order, provided the cursor column's values are unique and grow with
 * new rows (an id, a creation time), as Hasura requires; a client that reconnects with its last
 * value as {@code initial_value} takes up where it left off.
 */
final class StreamCursor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String alias;
    private String value;
    private boolean sent;

    private StreamCursor(String alias, String value) {
        this.alias = alias;
        this.value = value;
    }

    /** The cursor of a streaming subscription, at its initial value; null for a live query. */
    static StreamCursor of(GraphqlEngine.Subscription prepared) {
        if (!(prepared.compiled().plan().roots().getFirst() instanceof RootField.SelectMany many)
                || many.fields().isEmpty() || !(many.fields().getLast() instanceof RowField.Column column)
                || !column.alias().equals(QueryPlanner.CURSOR_FIELD)) {
            return null;
        }
        Field field = prepared.operation().getSelectionSet().getSelectionsOfType(Field.class).stream().findFirst()
                .orElseThrow(() -> new JoineryException(ErrorCode.NOT_SUPPORTED, "a streaming subscription's field must be written at the root", "$", null));
        Argument cursor = field.getArguments().stream().filter(a -> a.getName().equals("cursor")).findFirst().orElseThrow();
        Object cursors = plain(cursor.getValue(), prepared.variables());
        Object first = cursors instanceof List<?> list ? list.getFirst() : cursors;
        Object initial = first instanceof Map<?, ?> map ? map.get("initial_value") : null;
        Object start = initial instanceof Map<?, ?> values ? values.values().iterator().next() : null;
        if (start == null) {
            throw new JoineryException(ErrorCode.VALIDATION_FAILED, "the cursor's initial value must not be null", "$", null);
        }
        return new StreamCursor(many.alias(), String.valueOf(start));
    }

    /** The variables of the next fetch: the subscriber's, and the cursor. */
    synchronized Map<String, Object> variables(Map<String, Object> variables) {
        Map<String, Object> out = new HashMap<>(variables);
        out.put(QueryPlanner.CURSOR_VARIABLE, value);
        return out;
    }

    /** The batch to send from a fetched result, the cursor moved past it; null when there is nothing new. */
    synchronized String advance(String payload) {
        JsonNode tree;
        try {
            tree = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode rows = tree.path("data").path(alias);
        if (!(rows instanceof ArrayNode array)) {
            return payload; // an error
        }
        if (array.isEmpty()) {
            if (sent) {
                return null;
            }
            sent = true;
            return payload;
        }
        JsonNode last = array.get(array.size() - 1).path(QueryPlanner.CURSOR_FIELD);
        value = last.isTextual() ? last.textValue() : last.toString();
        array.forEach(row -> ((ObjectNode) row).remove(QueryPlanner.CURSOR_FIELD));
        sent = true;
        return tree.toString();
    }

    /** A literal of the document, with its variables' values. */
    private static Object plain(Value<?> value, Map<String, Object> variables) {
        return switch (value) {
            case VariableReference reference -> variables.get(reference.getName());
            case IntValue number -> number.getValue();
            case FloatValue number -> number.getValue();
            case StringValue text -> text.getValue();
            case BooleanValue bool -> bool.isValue();
            case EnumValue name -> name.getName();
            case ArrayValue array -> array.getValues().stream().map(item -> plain(item, variables)).toList();
            case ObjectValue object -> {
                Map<String, Object> fields = new java.util.LinkedHashMap<>();
                object.getObjectFields().forEach(f -> fields.put(f.getName(), plain(f.getValue(), variables)));
                yield fields;
            }
            default -> null;
        };
    }
}
