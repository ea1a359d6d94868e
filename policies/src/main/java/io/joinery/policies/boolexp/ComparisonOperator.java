package io.joinery.policies.boolexp;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Hasura's comparison operators, as Hasura spells them, with the operand each takes and the columns
 * it applies to. The one list: the consistency checks, the planner and the compiler switch over it,
 * so a new operator breaks the build wherever it must be handled.
 */
public enum ComparisonOperator {
    EQ("_eq", Operand.VALUE, Applies.ANY),
    NEQ("_neq", Operand.VALUE, Applies.ANY),
    GT("_gt", Operand.VALUE, Applies.ANY),
    LT("_lt", Operand.VALUE, Applies.ANY),
    GTE("_gte", Operand.VALUE, Applies.ANY),
    LTE("_lte", Operand.VALUE, Applies.ANY),
    IN("_in", Operand.LIST, Applies.ANY),
    NIN("_nin", Operand.LIST, Applies.ANY),
    IS_NULL("_is_null", Operand.BOOLEAN, Applies.ANY),
    LIKE("_like", Operand.VALUE, Applies.TEXT),
    NLIKE("_nlike", Operand.VALUE, Applies.TEXT),
    ILIKE("_ilike", Operand.VALUE, Applies.TEXT),
    NILIKE("_nilike", Operand.VALUE, Applies.TEXT),
    SIMILAR("_similar", Operand.VALUE, Applies.TEXT),
    NSIMILAR("_nsimilar", Operand.VALUE, Applies.TEXT),
    REGEX("_regex", Operand.VALUE, Applies.TEXT),
    IREGEX("_iregex", Operand.VALUE, Applies.TEXT),
    NREGEX("_nregex", Operand.VALUE, Applies.TEXT),
    NIREGEX("_niregex", Operand.VALUE, Applies.TEXT),
    CONTAINS("_contains", Operand.JSON, Applies.JSONB),
    CONTAINED_IN("_contained_in", Operand.JSON, Applies.JSONB),
    HAS_KEY("_has_key", Operand.VALUE, Applies.JSONB),
    HAS_KEYS_ANY("_has_keys_any", Operand.LIST, Applies.JSONB),
    HAS_KEYS_ALL("_has_keys_all", Operand.LIST, Applies.JSONB),
    /** The column comparisons of permissions; {@code _cne} and {@code _cneq} are two spellings of one. */
    CEQ("_ceq", Operand.COLUMN, Applies.ANY),
    CNE("_cne", Operand.COLUMN, Applies.ANY),
    CNEQ("_cneq", Operand.COLUMN, Applies.ANY),
    CGT("_cgt", Operand.COLUMN, Applies.ANY),
    CLT("_clt", Operand.COLUMN, Applies.ANY),
    CGTE("_cgte", Operand.COLUMN, Applies.ANY),
    CLTE("_clte", Operand.COLUMN, Applies.ANY);

    /** What an operator compares its subject with. */
    public enum Operand {
        /** One value of the column's type (or text, for the text and key operators); a session variable in a permission. */
        VALUE,
        /** A list of values, or in a permission a session variable holding one. */
        LIST,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** Another column: {@code "name"} of the same row, {@code ["$", "name"]} of the row the permission is for. */
        COLUMN,
        /** A JSON value (a jsonb document to contain or be contained in). */
        JSON
    }

    /** The columns an operator applies to. */
    public enum Applies {
        ANY, TEXT, JSONB
    }

    private static final Map<String, ComparisonOperator> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ComparisonOperator::hasuraName, Function.identity()));

    private final String hasuraName;
    private final Operand operand;
    private final Applies applies;

    ComparisonOperator(String hasuraName, Operand operand, Applies applies) {
        this.hasuraName = hasuraName;
        this.operand = operand;
        this.applies = applies;
    }

    /** The operator Hasura spells {@code name} ({@code _eq}, {@code _has_key}, …). */
    public static Optional<ComparisonOperator> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public String hasuraName() {
        return hasuraName;
    }

    public Operand operand() {
        return operand;
    }

    public Applies applies() {
        return applies;
    }

    /** Whether it compares two columns ({@code _ceq}, …), which Hasura allows in permissions only. */
    public boolean comparesColumns() {
        return operand == Operand.COLUMN;
    }

    @Override
    public String toString() {
        return hasuraName;
    }
}
