package io.joinery.proxy.schema;

import io.joinery.admin.metadata.QualifiedName;

import java.util.List;
import java.util.Optional;

/**
 * A computed field of a table: the SQL {@code function} called with the row, as Hasura's. It returns
 * one scalar ({@code scalar}, a column-like value) or the rows of the tracked table {@code target}
 * (a key of the model), selected like an array relationship. {@code arguments} are all the function's
 * arguments in order; those of kind {@link ArgumentKind#INPUT} are the fields of its {@code args}
 * input type {@code argsType}.
 */
public record ComputedFieldModel(String name, QualifiedName function, QualifiedName rowType, List<Argument> arguments,
                                 ColumnModel scalar, String target, String argsType, String description) {

    public ComputedFieldModel {
        arguments = List.copyOf(arguments);
        if ((scalar == null) == (target == null)) {
            throw new IllegalArgumentException("a computed field returns either a scalar or a table's rows");
        }
    }

    /** What an argument of the function gets: the row, the session variables, or a value of {@code args}. */
    public enum ArgumentKind { ROW, SESSION, INPUT }

    /**
     * One argument: its name (null only for an unnamed row argument in first position), what it gets,
     * its type as a column-like value (an input's GraphQL type and SQL cast), and whether it may be
     * left out (it has a default).
     */
    public record Argument(String name, ArgumentKind kind, ColumnModel value, boolean optional) {
    }

    public boolean returnsRows() {
        return target != null;
    }

    /** The arguments a query gives in {@code args}. */
    public List<Argument> inputs() {
        return arguments.stream().filter(a -> a.kind() == ArgumentKind.INPUT).toList();
    }

    public Optional<Argument> input(String argumentName) {
        return inputs().stream().filter(a -> a.name().equals(argumentName)).findFirst();
    }
}
