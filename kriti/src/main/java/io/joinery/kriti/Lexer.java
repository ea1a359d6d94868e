package io.joinery.kriti;

import io.joinery.kriti.Token.Kind;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a template into tokens, as Kriti's lexer does: outside strings JSON's punctuation,
 * identifiers ({@code $body}, {@code x-hasura-user-id}, {@code $}), numbers, operators and
 * {@code #} comments; a {@code "} enters a string, whose text runs until the closing {@code "} or a
 * {@code {{}, which enters an expression until its {@code }}}. Adjacent string text is one token.
 *
 * <p>Note [Kriti modes]: {@code }}} closes an expression only inside one (a stack of modes, as in
 * Kriti): at the top level {@code {"a": {"b": 1}}} is two closing braces, while inside
 * {@code {{ }}} it ends the expression — exactly Kriti's rule, so that a template Hasura accepts
 * lexes the same here.
 */
final class Lexer {

    private enum Mode { TOP, EXPRESSION, STRING }

    private final String source;
    private final List<Token> tokens = new ArrayList<>();
    private final Deque<Mode> modes = new ArrayDeque<>();
    private int index;
    private int line = 1;
    private int column = 1;

    private Lexer(String source, Mode start) {
        this.source = source;
        modes.push(start);
    }

    /** The tokens of a whole template, ending with {@link Kind#END}. */
    static List<Token> template(String source) {
        return new Lexer(source, Mode.TOP).run(false);
    }

    /**
     * The tokens of a text that is string interpolation only (Hasura's "unescaped templates": URLs,
     * query parameters, header values, form fields): the text is the inside of a string, so a
     * {@code "} in it is text; the tokens are wrapped in {@link Kind#STRING_BEGIN}/{@link Kind#STRING_END}.
     */
    static List<Token> interpolation(String source) {
        Lexer lexer = new Lexer(source, Mode.STRING);
        lexer.tokens.add(new Token(Kind.STRING_BEGIN, "\"", null, new Position(1, 1)));
        return lexer.run(true);
    }

    private List<Token> run(boolean interpolation) {
        while (index < source.length()) {
            switch (modes.peek()) {
                case STRING -> string(interpolation && modes.size() == 1);
                case TOP, EXPRESSION -> code();
            }
        }
        Position end = here();
        if (interpolation) {
            if (modes.size() > 1) {
                throw KritiException.parse(end, "'{{' is not closed by '}}'");
            }
            tokens.add(new Token(Kind.STRING_END, "\"", null, end));
        } else if (modes.peek() == Mode.STRING) {
            throw KritiException.parse(end, "a string is not closed by '\"'");
        }
        tokens.add(new Token(Kind.END, "", null, end));
        return tokens;
    }

    private Position here() {
        return new Position(line, column);
    }

    private char peek(int ahead) {
        int at = index + ahead;
        return at < source.length() ? source.charAt(at) : '\0';
    }

    private void advance(int count) {
        for (int i = 0; i < count; i++) {
            if (source.charAt(index) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            index++;
        }
    }

    private void symbol(Kind kind, String text) {
        tokens.add(new Token(kind, text, null, here()));
        advance(text.length());
    }

    // ---- outside strings

    private void code() {
        char c = peek(0);
        if (Character.isWhitespace(c)) {
            advance(1);
            return;
        }
        if (c == '#') {
            while (index < source.length() && peek(0) != '\n') {
                advance(1);
            }
            return;
        }
        char next = peek(1);
        switch (c) {
            case '"' -> {
                symbol(Kind.STRING_BEGIN, "\"");
                modes.push(Mode.STRING);
            }
            case '\'' -> quoted();
            case '{' -> {
                if (next == '{') {
                    symbol(Kind.EXPRESSION_OPEN, "{{");
                    modes.push(Mode.EXPRESSION);
                } else {
                    symbol(Kind.BRACE_OPEN, "{");
                }
            }
            case '}' -> {
                if (next == '}' && modes.peek() == Mode.EXPRESSION) {
                    symbol(Kind.EXPRESSION_CLOSE, "}}");
                    modes.pop();
                } else {
                    symbol(Kind.BRACE_CLOSE, "}");
                }
            }
            case '[' -> symbol(Kind.BRACKET_OPEN, "[");
            case ']' -> symbol(Kind.BRACKET_CLOSE, "]");
            case '(' -> symbol(Kind.PAREN_OPEN, "(");
            case ')' -> symbol(Kind.PAREN_CLOSE, ")");
            case ',' -> symbol(Kind.COMMA, ",");
            case '.' -> symbol(Kind.DOT, ".");
            case ':' -> {
                if (next == '=') {
                    symbol(Kind.ASSIGN, ":=");
                } else {
                    symbol(Kind.COLON, ":");
                }
            }
            case '?' -> {
                if (next == '?') {
                    symbol(Kind.DEFAULT, "??");
                } else {
                    symbol(Kind.QUESTION, "?");
                }
            }
            case '=' -> pair('=', Kind.EQUAL, "==");
            case '!' -> pair('=', Kind.NOT_EQUAL, "!=");
            case '&' -> pair('&', Kind.AND, "&&");
            case '|' -> pair('|', Kind.OR, "||");
            case '<' -> {
                if (next == '=') {
                    symbol(Kind.LESS_EQUAL, "<=");
                } else {
                    symbol(Kind.LESS, "<");
                }
            }
            case '>' -> {
                if (next == '=') {
                    symbol(Kind.GREATER_EQUAL, ">=");
                } else {
                    symbol(Kind.GREATER, ">");
                }
            }
            default -> word(c, next);
        }
    }

    private void pair(char second, Kind kind, String text) {
        if (peek(1) != second) {
            throw KritiException.parse(here(), "unexpected character '" + peek(0) + "' (did you mean '" + text + "'?)");
        }
        symbol(kind, text);
    }

    private void word(char c, char next) {
        if (isDigit(c) || (c == '-' && isDigit(next))) {
            number();
        } else if (c == '$' || isLetter(c) || c == '_') {
            identifier();
        } else {
            throw KritiException.parse(here(), "unexpected character '" + c + "'");
        }
    }

    private void identifier() {
        Position start = here();
        int begin = index;
        if (peek(0) == '_' && !isWordPart(peek(1))) {
            symbol(Kind.UNDERSCORE, "_");
            return;
        }
        advance(1);
        while (index < source.length() && isWordPart(peek(0))) {
            advance(1);
        }
        tokens.add(new Token(Kind.IDENTIFIER, source.substring(begin, index), null, start));
    }

    private void number() {
        Position start = here();
        int begin = index;
        if (peek(0) == '-') {
            advance(1);
        }
        digits();
        if (peek(0) == '.' && isDigit(peek(1))) {
            advance(1);
            digits();
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
            advance(2);
            digits();
        }
        String text = source.substring(begin, index);
        tokens.add(new Token(Kind.NUMBER, text, new BigDecimal(text), start));
    }

    private void digits() {
        while (isDigit(peek(0))) {
            advance(1);
        }
    }

    /** {@code 'my key'}: a string without interpolation, as in {@code $body['my key']}. */
    private void quoted() {
        Position start = here();
        advance(1);
        StringBuilder text = new StringBuilder();
        while (true) {
            if (index >= source.length()) {
                throw KritiException.parse(start, "a string in single quotes is not closed by \"'\"");
            }
            char c = peek(0);
            if (c == '\'') {
                advance(1);
                break;
            }
            if (c == '\\' && (peek(1) == '\\' || peek(1) == '\'')) {
                text.append(peek(1));
                advance(2);
            } else {
                text.append(c);
                advance(1);
            }
        }
        tokens.add(new Token(Kind.QUOTED, text.toString(), null, start));
    }

    // ---- inside strings

    private void string(boolean quoteIsText) {
        Position start = here();
        StringBuilder text = new StringBuilder();
        while (index < source.length()) {
            char c = peek(0);
            if (c == '"' && !quoteIsText) {
                flush(text, start);
                symbol(Kind.STRING_END, "\"");
                modes.pop();
                return;
            }
            if (c == '{' && peek(1) == '{') {
                flush(text, start);
                symbol(Kind.EXPRESSION_OPEN, "{{");
                modes.push(Mode.EXPRESSION);
                return;
            }
            if (c == '\\') {
                escape(text);
            } else {
                text.append(c);
                advance(1);
            }
        }
        flush(text, start);
    }

    private void flush(StringBuilder text, Position start) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.STRING_TEXT, text.toString(), null, start));
        }
    }

    private void escape(StringBuilder text) {
        char c = peek(1);
        switch (c) {
            case '{', '"', '\\', '/' -> text.append(c);
            case 'b' -> text.append('\b');
            case 'f' -> text.append('\f');
            case 'n' -> text.append('\n');
            case 'r' -> text.append('\r');
            case 't' -> text.append('\t');
            case 'u' -> {
                String hex = index + 6 <= source.length() ? source.substring(index + 2, index + 6) : "";
                if (!hex.matches("[0-9A-Fa-f]{4}")) {
                    throw KritiException.parse(here(), "'\\u' is followed by four hexadecimal digits");
                }
                text.append((char) Integer.parseInt(hex, 16));
                advance(6);
                return;
            }
            default -> throw KritiException.parse(here(), "unknown escape '\\" + (c == '\0' ? "" : String.valueOf(c)) + "' in a string");
        }
        advance(2);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordPart(char c) {
        return isLetter(c) || isDigit(c) || c == '_' || c == '-' || c == '$';
    }
}
