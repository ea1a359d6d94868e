package io.joinery.kriti;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
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
import io.joinery.kriti.Expr.Operator;
import io.joinery.kriti.Expr.Range;
import io.joinery.kriti.Expr.Variable;
import io.joinery.kriti.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kriti's grammar, by recursive descent: a template is one expression; JSON values, strings with
 * {@code {{ }}}, paths with required ({@code .a}, {@code [0]}, {@code ['a b']}) and optional
 * ({@code ?.a}) steps, function calls, {@code not}, binary operators, {@code {{ if }}} and
 * {@code {{ range }}}.
 *
 * <p>Note [Kriti superset]: Kriti's own grammar makes binary operators non-associative between
 * atoms ({@code a && b && c} needs parentheses there) and requires {@code else}; this parser accepts
 * every template Kriti accepts, with the same meaning, and also chains of operators (precedence, low
 * to high: {@code ||}, {@code &&}, comparisons and {@code in}, {@code ??}), an {@code if} without
 * {@code else} (null), {@code range x := …} without an index, and {@code escapeUri $x} (a function
 * applied without parentheses, as older Hasura documentation writes it).
 */
final class Parser {

    private static final Set<String> KEYWORDS = Set.of("true", "false", "null", "if", "elif", "else", "end", "range", "in", "not");

    private final List<Token> tokens;
    private int index;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Expr parse(List<Token> tokens) {
        Parser parser = new Parser(tokens);
        Expr expr = parser.expression();
        parser.expect(Kind.END, "the end of the template");
        return expr;
    }

    // ---- tokens

    private Token peek() {
        return tokens.get(index);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token token = tokens.get(index);
        if (!token.is(Kind.END)) {
            index++;
        }
        return token;
    }

    private boolean accept(Kind kind) {
        if (peek().is(kind)) {
            index++;
            return true;
        }
        return false;
    }

    private Token expect(Kind kind, String what) {
        if (!peek().is(kind)) {
            throw unexpected(peek(), what);
        }
        return next();
    }

    private void expectWord(String word) {
        if (!peek().isWord(word)) {
            throw unexpected(peek(), "'" + word + "'");
        }
        next();
    }

    private static KritiException unexpected(Token token, String expected) {
        return KritiException.parse(token.at(), "unexpected " + token.describe() + ", expected " + expected);
    }

    // ---- operators

    private Expr expression() {
        return or();
    }

    private Expr or() {
        Expr left = and();
        while (peek().is(Kind.OR)) {
            next();
            left = new Binary(left.start(), Operator.OR, left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = comparison();
        while (peek().is(Kind.AND)) {
            next();
            left = new Binary(left.start(), Operator.AND, left, comparison());
        }
        return left;
    }

    private Expr comparison() {
        Expr left = defaulting();
        while (true) {
            Operator operator = comparisonOperator(peek());
            if (operator == null) {
                return left;
            }
            next();
            left = new Binary(left.start(), operator, left, defaulting());
        }
    }

    private static Operator comparisonOperator(Token token) {
        return switch (token.kind()) {
            case EQUAL -> Operator.EQUAL;
            case NOT_EQUAL -> Operator.NOT_EQUAL;
            case LESS -> Operator.LESS;
            case GREATER -> Operator.GREATER;
            case LESS_EQUAL -> Operator.LESS_EQUAL;
            case GREATER_EQUAL -> Operator.GREATER_EQUAL;
            case IDENTIFIER -> token.text().equals("in") ? Operator.IN : null;
            default -> null;
        };
    }

    private Expr defaulting() {
        Expr left = unary();
        while (peek().is(Kind.DEFAULT)) {
            next();
            left = new Binary(left.start(), Operator.DEFAULT, left, unary());
        }
        return left;
    }

    /** {@code not expr} (the whole expression, as in Kriti), a function call, or a path. */
    private Expr unary() {
        Token token = peek();
        if (token.isWord("not")) {
            next();
            return new Call(token.at(), "not", expression());
        }
        if (token.is(Kind.IDENTIFIER) && !KEYWORDS.contains(token.text())) {
            if (peek(1).is(Kind.PAREN_OPEN)) {
                next();
                next();
                Expr argument = expression();
                expect(Kind.PAREN_CLOSE, "')' after the argument of " + token.text());
                return postfix(new Call(token.at(), token.text(), argument));
            }
            if (!token.text().startsWith("$") && startsBareArgument(peek(1))) {
                next();
                return new Call(token.at(), token.text(), postfix(primary()));
            }
        }
        return postfix(primary());
    }

    private static boolean startsBareArgument(Token token) {
        return (token.is(Kind.IDENTIFIER) && token.text().startsWith("$")) || token.is(Kind.STRING_BEGIN) || token.is(Kind.QUOTED);
    }

    // ---- paths

    private Expr postfix(Expr target) {
        Expr expr = target;
        while (true) {
            Token token = peek();
            switch (token.kind()) {
                case DOT -> {
                    next();
                    expr = new Field(token.at(), expr, fieldName());
                }
                case BRACKET_OPEN -> expr = new Index(token.at(), expr, bracket());
                case QUESTION -> {
                    next();
                    expr = optional(token, expr);
                }
                default -> {
                    return expr;
                }
            }
        }
    }

    private String fieldName() {
        Token name = peek();
        if (!name.is(Kind.IDENTIFIER)) {
            throw unexpected(name, "a field name after '.'");
        }
        next();
        return name.text();
    }

    /** {@code [expr]} or {@code ['key']}: the key. */
    private Expr bracket() {
        expect(Kind.BRACKET_OPEN, "'['");
        Token first = peek();
        Expr key;
        if (first.is(Kind.QUOTED) && peek(1).is(Kind.BRACKET_CLOSE)) {
            next();
            key = new Literal(first.at(), TextNode.valueOf(first.text()));
        } else {
            key = expression();
        }
        expect(Kind.BRACKET_CLOSE, "']'");
        return key;
    }

    private Expr optional(Token question, Expr target) {
        List<Expr> steps = new ArrayList<>();
        while (true) {
            Token token = peek();
            if (token.is(Kind.DOT)) {
                next();
                Position at = peek().at();
                steps.add(new Literal(at, TextNode.valueOf(fieldName())));
            } else if (token.is(Kind.BRACKET_OPEN)) {
                steps.add(bracket());
            } else {
                return new Expr.Optional(question.at(), target, steps);
            }
        }
    }

    // ---- values

    private Expr primary() {
        Token token = peek();
        switch (token.kind()) {
            case IDENTIFIER -> {
                return word(token);
            }
            case NUMBER -> {
                next();
                return new Literal(token.at(), Json.literal(token.text(), token.number()));
            }
            case QUOTED -> {
                next();
                return new Literal(token.at(), TextNode.valueOf(token.text()));
            }
            case STRING_BEGIN -> {
                return string();
            }
            case BRACKET_OPEN -> {
                return array();
            }
            case BRACE_OPEN -> {
                return object();
            }
            case PAREN_OPEN -> {
                next();
                Expr inner = expression();
                expect(Kind.PAREN_CLOSE, "')'");
                return inner;
            }
            case EXPRESSION_OPEN -> {
                return block();
            }
            default -> throw unexpected(token, "a value");
        }
    }

    private Expr word(Token token) {
        switch (token.text()) {
            case "true" -> {
                next();
                return new Literal(token.at(), BooleanNode.TRUE);
            }
            case "false" -> {
                next();
                return new Literal(token.at(), BooleanNode.FALSE);
            }
            case "null" -> {
                next();
                return new Literal(token.at(), NullNode.getInstance());
            }
            default -> {
                if (KEYWORDS.contains(token.text())) {
                    throw unexpected(token, "a value");
                }
                next();
                return new Variable(token.at(), token.text());
            }
        }
    }

    private Expr string() {
        Token begin = expect(Kind.STRING_BEGIN, "a string");
        List<Expr> parts = new ArrayList<>();
        while (!peek().is(Kind.STRING_END)) {
            Token token = peek();
            if (token.is(Kind.STRING_TEXT)) {
                next();
                parts.add(new Literal(token.at(), TextNode.valueOf(token.text())));
            } else if (token.is(Kind.EXPRESSION_OPEN)) {
                next();
                parts.add(expression());
                expect(Kind.EXPRESSION_CLOSE, "'}}'");
            } else {
                throw unexpected(token, "'\"'");
            }
        }
        next();
        if (parts.isEmpty()) {
            return new Literal(begin.at(), TextNode.valueOf(""));
        }
        if (parts.size() == 1 && parts.getFirst() instanceof Literal literal) {
            return new Literal(begin.at(), literal.value());
        }
        return new Interpolation(begin.at(), parts);
    }

    private Expr array() {
        Token open = expect(Kind.BRACKET_OPEN, "'['");
        List<Expr> elements = new ArrayList<>();
        if (!accept(Kind.BRACKET_CLOSE)) {
            do {
                elements.add(expression());
            } while (accept(Kind.COMMA));
            expect(Kind.BRACKET_CLOSE, "',' or ']'");
        }
        return new ArrayOf(open.at(), elements);
    }

    private Expr object() {
        Token open = expect(Kind.BRACE_OPEN, "'{'");
        List<Member> members = new ArrayList<>();
        if (!accept(Kind.BRACE_CLOSE)) {
            do {
                String key = key();
                expect(Kind.COLON, "':' after an object's key");
                members.add(new Member(key, expression()));
            } while (accept(Kind.COMMA));
            expect(Kind.BRACE_CLOSE, "',' or '}'");
        }
        return new ObjectOf(open.at(), members);
    }

    /** An object's key: a string without {@code {{ }}}. */
    private String key() {
        Token begin = peek();
        if (!begin.is(Kind.STRING_BEGIN)) {
            throw unexpected(begin, "an object's key (a string)");
        }
        next();
        String key = "";
        if (peek().is(Kind.STRING_TEXT)) {
            key = next().text();
        }
        if (!peek().is(Kind.STRING_END)) {
            throw KritiException.parse(peek().at(), "an object's key is a plain string, without '{{ }}'");
        }
        next();
        return key;
    }

    // ---- {{ … }}

    private Expr block() {
        Token open = expect(Kind.EXPRESSION_OPEN, "'{{'");
        Token word = peek();
        if (word.isWord("if")) {
            next();
            return conditional(open);
        }
        if (word.isWord("range")) {
            next();
            return range(open);
        }
        if (word.isWord("elif") || word.isWord("else") || word.isWord("end")) {
            throw KritiException.parse(word.at(), "'" + word.text() + "' without an open 'if' or 'range' before it");
        }
        Expr inner = expression();
        expect(Kind.EXPRESSION_CLOSE, "'}}'");
        return inner;
    }

    private Expr conditional(Token open) {
        List<Branch> branches = new ArrayList<>();
        Expr condition = expression();
        expect(Kind.EXPRESSION_CLOSE, "'}}' after the condition of 'if'");
        branches.add(new Branch(condition, expression()));
        while (true) {
            Token close = expect(Kind.EXPRESSION_OPEN, "'{{ elif }}', '{{ else }}' or '{{ end }}' of the 'if' at line "
                    + open.at().line() + ", column " + open.at().column());
            Token word = next();
            if (word.isWord("elif")) {
                Expr elif = expression();
                expect(Kind.EXPRESSION_CLOSE, "'}}' after the condition of 'elif'");
                branches.add(new Branch(elif, expression()));
            } else if (word.isWord("else")) {
                expect(Kind.EXPRESSION_CLOSE, "'}}' after 'else'");
                Expr otherwise = expression();
                endOf(open);
                return new If(open.at(), branches, otherwise);
            } else if (word.isWord("end")) {
                expect(Kind.EXPRESSION_CLOSE, "'}}' after 'end'");
                return new If(open.at(), branches, new Literal(close.at(), NullNode.getInstance()));
            } else {
                throw unexpected(word, "'elif', 'else' or 'end' of the 'if' at line " + open.at().line() + ", column " + open.at().column());
            }
        }
    }

    private void endOf(Token open) {
        expect(Kind.EXPRESSION_OPEN, "'{{ end }}' of the block at line " + open.at().line() + ", column " + open.at().column());
        expectWord("end");
        expect(Kind.EXPRESSION_CLOSE, "'}}' after 'end'");
    }

    /** {@code range i, x := expr}, {@code range _, x := expr} or {@code range x := expr}. */
    private Expr range(Token open) {
        String index = null;
        String item;
        if (accept(Kind.UNDERSCORE)) {
            expect(Kind.COMMA, "',' after '_'");
            item = binder();
        } else {
            String first = binder();
            if (accept(Kind.COMMA)) {
                index = first;
                item = binder();
            } else {
                item = first;
            }
        }
        expect(Kind.ASSIGN, "':=' after the binders of 'range'");
        Expr over = expression();
        expect(Kind.EXPRESSION_CLOSE, "'}}' after the array of 'range'");
        Expr body = expression();
        endOf(open);
        return new Range(open.at(), index, item, over, body);
    }

    private String binder() {
        Token name = peek();
        if (!name.is(Kind.IDENTIFIER) || KEYWORDS.contains(name.text())) {
            throw unexpected(name, "a name to bind");
        }
        next();
        return name.text();
    }
}
