package io.joinery.proxy.execute;

import io.joinery.policies.Session;
import io.joinery.proxy.plan.JsonValues;
import io.joinery.proxy.plan.PlanValue;
import io.joinery.proxy.sql.BindMode;
import io.joinery.proxy.sql.Param;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Produces the bind values of a compiled statement for one request: variables and session values, as text. */
public final class ParamBinder {

    private ParamBinder() {
    }

    public static Tuple bind(List<Param> params, Map<String, Object> variables, Session session) {
        Tuple tuple = Tuple.tuple(new ArrayList<>(params.size()));
        for (Param param : params) {
            tuple.addValue(value(param.value(), param.mode(), variables, session));
        }
        return tuple;
    }

    static Object value(PlanValue value, BindMode mode, Map<String, Object> variables, Session session) {
        Object raw = raw(value, variables, session);
        if (mode == BindMode.TEXT_ARRAY && value instanceof PlanValue.Session && raw instanceof String text && ArrayLiteral.is(text)) {
            return ArrayLiteral.items(text).toArray(String[]::new);
        }
        return convert(raw, mode);
    }

    /**
     * Note [Session argument names]: a computed field's or function's session argument is the JSON object of the
     * request's session variables, each under its {@code x-joinery-*} name and also under the {@code x-hasura-*}
     * name, so a function written for Hasura ({@code hasura_session ->> 'x-hasura-user-id'}) reads the same value
     * unchanged. A variable sent under both names keeps its own value for each.
     */
    private static Map<String, Object> sessionArgument(Session session) {
        Map<String, Object> object = new java.util.TreeMap<>(session.variables());
        session.variables().forEach((name, value) -> {
            if (name.startsWith(Session.PREFIX)) {
                object.putIfAbsent("x-hasura-" + name.substring(Session.PREFIX.length()), value);
            }
        });
        return object;
    }

    /** The value before its conversion for the bind mode. */
    private static Object raw(PlanValue value, Map<String, Object> variables, Session session) {
        return switch (value) {
            case PlanValue.Literal literal -> literal.value();
            case PlanValue.Variable variable -> variables.get(variable.name());
            case PlanValue.Session variable -> {
                String sessionValue = session.variable(variable.name());
                if (sessionValue == null) {
                    // As Hasura: a permission that needs a session variable the request lacks is an error, not zero rows.
                    throw new io.joinery.proxy.error.JoineryException(io.joinery.proxy.error.ErrorCode.NOT_FOUND,
                            "missing session variable: \"" + variable.name() + "\"");
                }
                yield sessionValue;
            }
            case PlanValue.SessionVariables all -> sessionArgument(session);
            case PlanValue.Fields object -> {
                java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
                object.fields().forEach((name, field) -> fields.put(name, raw(field, variables, session)));
                yield fields;
            }
            case PlanValue.JsonPathOf path -> {
                Object text = raw(path.path(), variables, session);
                try {
                    yield text == null ? List.of() : io.joinery.proxy.plan.JsonPath.steps((String) text);
                } catch (IllegalArgumentException e) {
                    throw new io.joinery.proxy.error.JoineryException(io.joinery.proxy.error.ErrorCode.VALIDATION_FAILED, e.getMessage());
                }
            }
            case PlanValue.ListOf list -> {
                List<Object> items = new ArrayList<>();
                list.items().forEach(item -> items.add(value(item, BindMode.TEXT, variables, session)));
                yield items;
            }
        };
    }

    static Object convert(Object raw, BindMode mode) {
        if (raw == null) {
            return null;
        }
        return switch (mode) {
            case TEXT -> text(raw);
            case JSON -> JsonValues.toJson(raw);
            case TEXT_ARRAY -> {
                List<?> items = raw instanceof List<?> list ? list : List.of(raw);
                String[] texts = new String[items.size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = items.get(i) == null ? null : text(items.get(i));
                }
                yield texts;
            }
        };
    }

    private static String text(Object raw) {
        return switch (raw) {
            case String s -> s;
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            default -> JsonValues.toJson(raw);
        };
    }
}
