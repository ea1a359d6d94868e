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

    /**
     * Whether it can be in {@code where}, {@code order_by} and permission filters: only without {@code args}
     * (the row and session arguments are no GraphQL arguments), as in Hasura, since an input field takes none.
     * <p>
     * Note [Computed fields in where and order_by]: a scalar one is {@code <field>: <Scalar>_comparison_exp} in
     * {@code <table>_bool_exp} and {@code <field>: order_by} in {@code <table>_order_by}; one returning rows is
     * {@code <field>: <target>_bool_exp}, true when some row its function returns matches, with the target's
     * permission filter for the role. The SQL is the same function call as in the select list, with the row
     * alias of the level the filter or order is on and the session variables as the one JSON parameter, in
     * the same statement ({@code BoolExpPlanner.computedFilter}, {@code SqlCompiler.functionCall}).
     */
    public boolean filterable() {
        return inputs().isEmpty();
    }

    /** Whether it can be in {@code order_by}: a filterable scalar that is not json. */
    public boolean orderable() {
        return filterable() && !returnsRows() && scalar.kind() != ScalarKind.JSON && !scalar.array();
    }

    /** The arguments a query gives in {@code args}. */
    public List<Argument> inputs() {
        return arguments.stream().filter(a -> a.kind() == ArgumentKind.INPUT).toList();
    }

    public Optional<Argument> input(String argumentName) {
        return inputs().stream().filter(a -> a.name().equals(argumentName)).findFirst();
    }
}
