package io.joinery.kriti;

import java.math.BigDecimal;

/** One lexeme of a template: its kind, its text (identifiers, string fragments) or number, and where it starts. */
record Token(Kind kind, String text, BigDecimal number, Position at) {

    enum Kind {
        IDENTIFIER, NUMBER, STRING_BEGIN, STRING_TEXT, STRING_END, QUOTED,
        EXPRESSION_OPEN, EXPRESSION_CLOSE, BRACE_OPEN, BRACE_CLOSE, BRACKET_OPEN, BRACKET_CLOSE, PAREN_OPEN, PAREN_CLOSE,
        COLON, ASSIGN, DOT, COMMA, QUESTION, DEFAULT, EQUAL, NOT_EQUAL, LESS, GREATER, LESS_EQUAL, GREATER_EQUAL,
        AND, OR, UNDERSCORE, END
    }

    boolean is(Kind kind) {
        return this.kind == kind;
    }

    boolean isWord(String word) {
        return kind == Kind.IDENTIFIER && text.equals(word);
    }

    /** How an error message names this token. */
    String describe() {
        return switch (kind) {
            case IDENTIFIER -> "'" + text + "'";
            case NUMBER -> "number " + number.toPlainString();
            case STRING_BEGIN -> "a string";
            case STRING_TEXT -> "string text";
            case STRING_END -> "the end of a string";
            case QUOTED -> "'" + text + "' in single quotes";
            case END -> "the end of the template";
            default -> "'" + text + "'";
        };
    }
}
