package io.joinery.proxy.plan;

import java.util.List;
import java.util.Locale;

/** A value the SQL receives as a bind parameter: a literal of the query, a variable, or a session variable. */
public sealed interface PlanValue {

    /**
     * A value written in the query or the metadata, as the Java value a JSON variable would have
     * (String, Number, Boolean, Map, List, or null for SQL NULL).
     */
    record Literal(Object value) implements PlanValue {
    }

    /** A request variable, bound at execution. */
    record Variable(String name) implements PlanValue {
    }

    /** A session variable such as {@code x-joinery-user-id}, bound at execution. */
    record Session(String name) implements PlanValue {
        public Session {
            name = name.toLowerCase(Locale.ROOT);
        }
    }

    /** All the request's session variables as one JSON object, for a computed field's session argument. */
    record SessionVariables() implements PlanValue {
    }

    /**
     * An input object written field by field ({@code _st_d_within: {distance: 1, from: $p}}), or in a permission an
     * operand object whose fields may be session variables; as one parameter, the JSON object of its values.
     */
    record Fields(java.util.Map<String, PlanValue> fields) implements PlanValue {
        public Fields {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    /** A json column's {@code path} given by a variable: bound as the text[] of the steps of the path it holds ({@link JsonPath}). */
    record JsonPathOf(PlanValue path) implements PlanValue {
    }

    /** A list written item by item in the query ({@code _in: [1, $b]}), bound as one array parameter. */
    record ListOf(List<PlanValue> items) implements PlanValue {
        public ListOf {
            items = List.copyOf(items);
        }
    }
}
