package io.joinery.kriti;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** A parsed template: an expression tree, each node with where it starts in the text. */
sealed interface Expr {

    /** Where the error about this node points: the operator, the step, the call. */
    Position at();

    /** Where the node's text begins: a path's first step, a binary expression's left side. */
    default Position start() {
        return at();
    }

    /** A JSON value written out: a number, {@code true}, {@code null}, a string without {@code {{ }}}. */
    record Literal(Position at, JsonNode value) implements Expr {
    }

    /** {@code "text {{ expr }} text"}: the parts' values joined, strings as they are, others as JSON. */
    record Interpolation(Position at, List<Expr> parts) implements Expr {
        public Interpolation {
            parts = List.copyOf(parts);
        }
    }

    record ArrayOf(Position at, List<Expr> elements) implements Expr {
        public ArrayOf {
            elements = List.copyOf(elements);
        }
    }

    /** {@code {"key": expr, …}}; keys are plain strings, a repeated key keeps its last value. */
    record ObjectOf(Position at, List<Member> members) implements Expr {
        public ObjectOf {
            members = List.copyOf(members);
        }
    }

    record Member(String key, Expr value) {
    }

    /** {@code $body}, {@code x}: a variable of the context or a binder of an enclosing {@code range}. */
    record Variable(Position at, String name) implements Expr {
    }

    /** {@code target.name}: the field must exist. */
    record Field(Position at, Expr target, String name) implements Expr {
        @Override
        public Position start() {
            return target.start();
        }
    }

    /** {@code target[key]}: an object's field by a string, an array's element by an integer; it must exist. */
    record Index(Position at, Expr target, Expr key) implements Expr {
        @Override
        public Position start() {
            return target.start();
        }
    }

    /**
     * {@code target?.a[0].b}: null as soon as the target fails or a step finds nothing, instead of an
     * error; each step is a key (a string literal for {@code .name}, or the expression in brackets).
     */
    record Optional(Position at, Expr target, List<Expr> steps) implements Expr {
        public Optional {
            steps = List.copyOf(steps);
        }

        @Override
        public Position start() {
            return target.start();
        }
    }

    enum Operator {
        OR("||"), AND("&&"), EQUAL("=="), NOT_EQUAL("!="), LESS("<"), GREATER(">"), LESS_EQUAL("<="), GREATER_EQUAL(">="),
        IN("in"), DEFAULT("??");

        final String text;

        Operator(String text) {
            this.text = text;
        }
    }

    record Binary(Position at, Operator operator, Expr left, Expr right) implements Expr {
        @Override
        public Position start() {
            return left.start();
        }
    }

    /** {@code name(argument)}; {@code not x} is {@code not(x)}. */
    record Call(Position at, String function, Expr argument) implements Expr {
    }

    /** {@code {{ if c }} a {{ elif d }} b {{ else }} c {{ end }}}; without {@code else}, null. */
    record If(Position at, List<Branch> branches, Expr otherwise) implements Expr {
        public If {
            branches = List.copyOf(branches);
        }
    }

    record Branch(Expr condition, Expr then) {
    }

    /** {@code {{ range i, x := array }} body {{ end }}}: the array of the body's values; {@code index} is null for {@code _}. */
    record Range(Position at, String index, String item, Expr over, Expr body) implements Expr {
    }
}
