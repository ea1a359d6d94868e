package io.joinery.proxy.plan;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import io.joinery.policies.Session;
import io.joinery.proxy.schema.JsonScalars;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The values the planner reads: AST literals, variable references, or the Java values of resolved
 * variables (and of permission filters, which are JSON). A scalar variable becomes a
 * {@link PlanValue.Variable} reference; a {@code structural} variable (input objects, other enums,
 * Booleans) is read from {@code variables}, since it shapes the plan.
 */
final class InputValues {

    private final Map<String, Object> variables;
    private final Set<String> structural;

    InputValues(Map<String, Object> variables, Set<String> structural) {
        this.variables = variables;
        this.structural = structural;
    }

    /** The AST value of the field's argument {@code name}, or null when it is not given. */
    Object argument(Field field, String name) {
        Argument argument = field.getArguments().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
        return argument == null ? null : argument.getValue();
    }

    Object resolve(Object value) {
        if (value instanceof VariableReference reference) {
            return variables.get(reference.getName());
        }
        return value;
    }

    boolean isNull(Object value) {
        Object resolved = resolve(value);
        return resolved == null || resolved instanceof NullValue;
    }

    Map<String, Object> object(Object value) {
        Object resolved = resolve(value);
        Map<String, Object> out = new LinkedHashMap<>();
        if (resolved instanceof ObjectValue object) {
            for (ObjectField field : object.getObjectFields()) {
                out.put(field.getName(), field.getValue());
            }
        } else if (resolved instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
        } else if (resolved != null && !(resolved instanceof NullValue)) {
            throw new PlanException("expected an object, got " + resolved, "$");
        }
        return out;
    }

    List<Object> list(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof ArrayValue array) {
            return new ArrayList<>(array.getValues());
        }
        if (resolved instanceof List<?> items) {
            return new ArrayList<>(items);
        }
        List<Object> single = new ArrayList<>();
        single.add(resolved);
        return single;
    }

    String enumName(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof EnumValue e) {
            return e.getName();
        }
        return String.valueOf(plain(resolved));
    }

    boolean bool(Object value) {
        Object resolved = resolve(value);
        if (resolved instanceof BooleanValue b) {
            return b.isValue();
        }
        return Boolean.TRUE.equals(resolved);
    }

    /** The name of the variable {@code value} refers to, when that variable is bound rather than read (not structural); else null. */
    String bound(Object value) {
        return value instanceof VariableReference reference && !structural.contains(reference.getName()) ? reference.getName() : null;
    }

    PlanValue optionalLeaf(Object value) {
        return value == null || isNull(value) ? null : leaf(value);
    }

    PlanValue leaf(Object value) {
        return leaf(value, false);
    }

    /**
     * A value for a bind parameter; in a permission's filter ({@code permission}), a string that
     * names a session variable ({@code x-joinery-user-id}) is that session variable.
     */
    PlanValue leaf(Object value, boolean permission) {
        if (value instanceof VariableReference reference && !structural.contains(reference.getName())) {
            return new PlanValue.Variable(reference.getName());
        }
        if (value instanceof ArrayValue array) {
            return new PlanValue.ListOf(array.getValues().stream().map(v -> leaf(v, permission)).toList());
        }
        Object plain = plain(resolve(value));
        if (permission && plain instanceof String s && s.toLowerCase(Locale.ROOT).startsWith(Session.PREFIX)) {
            return new PlanValue.Session(s);
        }
        if (permission && plain instanceof List<?> items) {
            return new PlanValue.ListOf(items.stream().map(v -> leaf(v, true)).toList());
        }
        return new PlanValue.Literal(plain);
    }

    /** An AST literal as a plain Java value; Java values pass through. */
    Object plain(Object value) {
        if (value instanceof Value<?> ast) {
            return ast instanceof IntValue i ? i.getValue() : JsonScalars.literal(ast, variables);
        }
        return value;
    }
}
