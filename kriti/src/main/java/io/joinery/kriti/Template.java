package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Objects;

/**
 * A parsed Kriti template: parse once, render many times. Rendering is pure and thread-safe; a
 * template holds no state of its own.
 *
 * <pre>
 * Template t = Template.parse("{\"id\": {{$body.input.id}}, \"user\": {{$session_variables['x-hasura-user-id']}}}");
 * JsonNode body = t.render(Map.of("$body", payload, "$session_variables", session));
 * </pre>
 *
 * <p>Variables are named as the template names them, {@code $} included ({@code $body}). Kriti's
 * basic functions are always there; {@link #render(Map, Map)} adds others (Hasura's
 * {@code getSessionVariable}, for instance), which win a name they share with a basic one.
 */
public final class Template {

    private final String source;
    private final Expr expr;

    private Template(String source, Expr expr) {
        this.source = source;
        this.expr = expr;
    }

    /** A whole template: JSON with {@code {{ }}} expressions. */
    public static Template parse(String source) {
        Objects.requireNonNull(source, "source");
        return new Template(source, Parser.parse(Lexer.template(source)));
    }

    /**
     * A text with {@code {{ }}} interpolations only, whose value is always a string: what Hasura
     * calls an unescaped template (a URL, a query parameter, a header value, a form field). The
     * text is the inside of a string, so positions are the text's own and a {@code "} is text.
     */
    public static Template parseInterpolation(String text) {
        Objects.requireNonNull(text, "text");
        return new Template(text, Parser.parse(Lexer.interpolation(text)));
    }

    public JsonNode render(Map<String, ? extends JsonNode> variables) {
        return render(variables, Map.of());
    }

    public JsonNode render(Map<String, ? extends JsonNode> variables, Map<String, KritiFunction> functions) {
        return new Evaluator(variables, functions).evaluate(expr);
    }

    /** The text the template was parsed from. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
