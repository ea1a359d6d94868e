package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.joinery.kriti.Expr.ArrayOf;
import io.joinery.kriti.Expr.Binary;
import io.joinery.kriti.Expr.Branch;
import io.joinery.kriti.Expr.Call;
import io.joinery.kriti.Expr.Field;
import io.joinery.kriti.Expr.If;
import io.joinery.kriti.Expr.Index;
import io.joinery.kriti.Expr.Interpolation;
import io.joinery.kriti.Expr.Literal;
import io.joinery.kriti.Expr.Member;
import io.joinery.kriti.Expr.ObjectOf;
import io.joinery.kriti.Expr.Range;
import io.joinery.kriti.Expr.Variable;

import java.util.Map;

/**
 * Renders an expression tree against the variables of one call. Errors name what failed where:
 * a variable not in scope, an object without the field, an index out of range, a value of the
 * wrong type, a function unknown or refusing its argument.
 *
 * <p>{@code &&} and {@code ||} look at their right side only when the left one does not decide
 * (Kriti evaluates both sides; the results agree whenever Kriti's rendering succeeds).
 */
final class Evaluator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The binders of the enclosing {@code range}s, innermost first. */
    private record Scope(String name, JsonNode value, Scope outer) {
    }

    private final Map<String, ? extends JsonNode> variables;
    private final Map<String, KritiFunction> functions;

    Evaluator(Map<String, ? extends JsonNode> variables, Map<String, KritiFunction> functions) {
        this.variables = variables;
        this.functions = functions;
    }

    private JsonNode evaluate(Expr expr, Scope scope) {
        return switch (expr) {
            case Literal literal -> literal.value();
            case Interpolation interpolation -> interpolate(interpolation, scope);
            case ArrayOf array -> {
                ArrayNode out = NODES.arrayNode(array.elements().size());
                array.elements().forEach(element -> out.add(evaluate(element, scope)));
                yield out;
            }
            case ObjectOf object -> {
                ObjectNode out = NODES.objectNode();
                for (Member member : object.members()) {
                    out.set(member.key(), evaluate(member.value(), scope));
                }
                yield out;
            }
            case Variable variable -> lookup(variable, scope);
            case Field field -> field(field.at(), evaluate(field.target(), scope), field.name());
            case Index index -> index(index, scope);
            case Expr.Optional optional -> optional(optional, scope);
            case Binary binary -> binary(binary, scope);
            case Call call -> call(call, scope);
            case If conditional -> conditional(conditional, scope);
            case Range range -> range(range, scope);
        };
    }

    JsonNode evaluate(Expr expr) {
        return evaluate(expr, null);
    }

    private JsonNode interpolate(Interpolation interpolation, Scope scope) {
        StringBuilder text = new StringBuilder();
        for (Expr part : interpolation.parts()) {
            text.append(Json.text(evaluate(part, scope)));
        }
        return TextNode.valueOf(text.toString());
    }

    private JsonNode lookup(Variable variable, Scope scope) {
        for (Scope s = scope; s != null; s = s.outer()) {
            if (s.name().equals(variable.name())) {
                return s.value();
            }
        }
        JsonNode value = variables.get(variable.name());
        if (value == null) {
            throw KritiException.render(variable.at(), "variable '" + variable.name() + "' is not in scope");
        }
        return value;
    }

    private static JsonNode field(Position at, JsonNode target, String name) {
        if (!target.isObject()) {
            throw KritiException.render(at, "field '" + name + "' of " + Json.typeName(target) + ": only an object has fields");
        }
        JsonNode value = target.get(name);
        if (value == null) {
            throw KritiException.render(at, "the object has no field '" + name + "'");
        }
        return value;
    }

    private JsonNode index(Index index, Scope scope) {
        JsonNode target = evaluate(index.target(), scope);
        JsonNode key = evaluate(index.key(), scope);
        if (target.isObject()) {
            if (!key.isTextual()) {
                throw KritiException.render(index.key().start(), "an object's field is named by a string, not by " + Json.typeName(key));
            }
            return field(index.at(), target, key.textValue());
        }
        if (target.isArray()) {
            int i = arrayIndex(index.key().start(), key);
            if (i < 0 || i >= target.size()) {
                throw KritiException.render(index.at(), "index " + i + " is out of range: the array has " + target.size() + " elements");
            }
            return target.get(i);
        }
        throw KritiException.render(index.at(), "'[…]' of " + Json.typeName(target) + ": only objects and arrays are indexed");
    }

    private static int arrayIndex(Position at, JsonNode key) {
        if (key.isIntegralNumber() && key.canConvertToInt()) {
            return key.intValue();
        }
        if (key.isNumber() && key.decimalValue().stripTrailingZeros().scale() <= 0) {
            return key.decimalValue().intValueExact();
        }
        throw KritiException.render(at, "an array's element is numbered by an integer, not by " + Json.typeName(key));
    }

    /** Note [Kriti superset] in Parser; the optional steps, as in Kriti's README. */
    private JsonNode optional(Expr.Optional optional, Scope scope) {
        JsonNode value;
        try {
            value = evaluate(optional.target(), scope);
        } catch (KritiException e) {
            return NullNode.getInstance();
        }
        if (!value.isObject() && !value.isArray() && !value.isNull()) {
            throw KritiException.render(optional.at(), "'?' after " + Json.typeName(value) + ": only objects and arrays are looked into");
        }
        for (Expr step : optional.steps()) {
            JsonNode key = evaluate(step, scope);
            value = step(value, key);
            if (value == null || value.isNull()) {
                return NullNode.getInstance();
            }
        }
        return value;
    }

    private static JsonNode step(JsonNode value, JsonNode key) {
        if (value.isObject() && key.isTextual()) {
            return value.get(key.textValue());
        }
        if (value.isArray() && key.isIntegralNumber() && key.canConvertToInt()) {
            return value.get(key.intValue());
        }
        return null;
    }

    private JsonNode binary(Binary binary, Scope scope) {
        JsonNode left = evaluate(binary.left(), scope);
        return switch (binary.operator()) {
            case DEFAULT -> left.isNull() ? evaluate(binary.right(), scope) : left;
            case AND -> logical(binary, left, false, scope);
            case OR -> logical(binary, left, true, scope);
            case EQUAL -> BooleanNode.valueOf(Json.equal(left, evaluate(binary.right(), scope)));
            case NOT_EQUAL -> BooleanNode.valueOf(!Json.equal(left, evaluate(binary.right(), scope)));
            case LESS -> BooleanNode.valueOf(Json.compare(left, evaluate(binary.right(), scope)) < 0);
            case GREATER -> BooleanNode.valueOf(Json.compare(left, evaluate(binary.right(), scope)) > 0);
            case LESS_EQUAL -> BooleanNode.valueOf(Json.compare(left, evaluate(binary.right(), scope)) <= 0);
            case GREATER_EQUAL -> BooleanNode.valueOf(Json.compare(left, evaluate(binary.right(), scope)) >= 0);
            case IN -> in(binary, left, evaluate(binary.right(), scope));
        };
    }

    /** {@code &&} ({@code decides} false) and {@code ||} ({@code decides} true). */
    private JsonNode logical(Binary binary, JsonNode left, boolean decides, Scope scope) {
        boolean l = bool(binary.left().start(), left, binary.operator().text);
        if (l == decides) {
            return BooleanNode.valueOf(decides);
        }
        return BooleanNode.valueOf(bool(binary.right().start(), evaluate(binary.right(), scope), binary.operator().text));
    }

    private static boolean bool(Position at, JsonNode value, String where) {
        if (!value.isBoolean()) {
            throw KritiException.render(at, "'" + where + "' takes booleans, not " + Json.typeName(value));
        }
        return value.booleanValue();
    }

    private static JsonNode in(Binary binary, JsonNode left, JsonNode right) {
        if (right.isObject()) {
            if (!left.isTextual()) {
                throw KritiException.render(binary.left().start(), "'in' an object looks for a key (a string), not for " + Json.typeName(left));
            }
            return BooleanNode.valueOf(right.has(left.textValue()));
        }
        if (right.isArray()) {
            for (JsonNode element : right) {
                if (Json.equal(left, element)) {
                    return BooleanNode.TRUE;
                }
            }
            return BooleanNode.FALSE;
        }
        throw KritiException.render(binary.right().start(), "'in' looks into an object or an array, not into " + Json.typeName(right));
    }

    private JsonNode call(Call call, Scope scope) {
        KritiFunction function = functions.get(call.function());
        if (function == null) {
            function = Functions.BUILT_IN.get(call.function());
        }
        if (function == null) {
            throw KritiException.render(call.at(), "no function named '" + call.function() + "'");
        }
        JsonNode argument = evaluate(call.argument(), scope);
        try {
            return function.apply(argument);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw KritiException.render(call.argument().start(), call.function() + ": " + e.getMessage());
        }
    }

    private JsonNode conditional(If conditional, Scope scope) {
        for (Branch branch : conditional.branches()) {
            if (bool(branch.condition().start(), evaluate(branch.condition(), scope), "if")) {
                return evaluate(branch.then(), scope);
            }
        }
        return evaluate(conditional.otherwise(), scope);
    }

    private JsonNode range(Range range, Scope scope) {
        JsonNode over = evaluate(range.over(), scope);
        if (!over.isArray()) {
            throw KritiException.render(range.over().start(), "'range' goes over an array, not over " + Json.typeName(over));
        }
        ArrayNode out = NODES.arrayNode(over.size());
        for (int i = 0; i < over.size(); i++) {
            Scope inner = new Scope(range.item(), over.get(i), scope);
            if (range.index() != null) {
                inner = new Scope(range.index(), IntNode.valueOf(i), inner);
            }
            out.add(evaluate(range.body(), inner));
        }
        return out;
    }
}
