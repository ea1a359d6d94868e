package io.joinery.kriti;

/**
 * A template that does not parse, or that fails while rendering (a variable not in scope, a field
 * an object does not have, a value of the wrong type, a function's refusal): where in the template
 * (1-based line and column) and why.
 */
public final class KritiException extends RuntimeException {

    /** Whether the template's text or its rendering failed. */
    public enum Phase { PARSE, RENDER }

    private final Phase phase;
    private final int line;
    private final int column;
    private final String reason;

    KritiException(Phase phase, int line, int column, String reason) {
        super(reason + " (line " + line + ", column " + column + ")");
        this.phase = phase;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    static KritiException parse(Position at, String reason) {
        return new KritiException(Phase.PARSE, at.line(), at.column(), reason);
    }

    static KritiException render(Position at, String reason) {
        return new KritiException(Phase.RENDER, at.line(), at.column(), reason);
    }

    public Phase phase() {
        return phase;
    }

    /** The 1-based line of the template where the error is. */
    public int line() {
        return line;
    }

    /** The 1-based column (in characters) of the template where the error is. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position. */
    public String reason() {
        return reason;
    }
}
