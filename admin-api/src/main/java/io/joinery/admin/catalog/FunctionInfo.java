package io.joinery.admin.catalog;

import io.joinery.admin.metadata.QualifiedName;

import java.util.List;
import java.util.Optional;

/**
 * A SQL function a computed field or a tracked function names: its input arguments in order, what it returns
 * ({@code returnType}; for a row type, {@code returnsRow} and the table's name), whether it returns a
 * set, its volatility ({@code i} immutable, {@code s} stable, {@code v} volatile, as {@code pg_proc}), and
 * its Postgres comment ({@code COMMENT ON FUNCTION}, null when none).
 */
public record FunctionInfo(QualifiedName name, List<Argument> arguments, QualifiedName returnType, String returnKind,
                           boolean returnsSet, String volatility, String comment) {

    public FunctionInfo {
        arguments = List.copyOf(arguments);
    }

    /**
     * One input argument: its name (null when it has none), its type ({@code pg_catalog.text}, or a
     * table's name for its row type), whether that is a row type, and whether it has a default.
     */
    public record Argument(String name, QualifiedName type, boolean row, boolean hasDefault) {
    }

    /** {@code b} base, {@code c} composite (a row), {@code e} enum, {@code p} pseudo, … as {@code pg_type.typtype}. */
    public boolean returnsRow() {
        return "c".equals(returnKind);
    }

    public boolean stableOrImmutable() {
        return "s".equals(volatility) || "i".equals(volatility);
    }

    public Optional<Argument> argument(String argumentName) {
        return arguments.stream().filter(a -> argumentName.equals(a.name())).findFirst();
    }

    /** {@code VOLATILE}, {@code STABLE} or {@code IMMUTABLE}. */
    public String volatilityName() {
        return switch (volatility) {
            case "i" -> "IMMUTABLE";
            case "s" -> "STABLE";
            default -> "VOLATILE";
        };
    }
}
