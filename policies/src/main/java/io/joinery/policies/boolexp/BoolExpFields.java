package io.joinery.policies.boolexp;

import java.util.Optional;

/**
 * What the names of one table mean in a boolean expression, as its user knows them: the checks from the
 * metadata and the live catalog, the engine from its schema model. The parser asks it term by term.
 */
public interface BoolExpFields {

    /** What a name in an expression over a table is. */
    enum Kind {
        COLUMN,
        RELATIONSHIP,
        /** A computed field returning a scalar, usable in a filter. */
        COMPUTED_SCALAR,
        /** A computed field returning {@code SETOF} a table, usable in a filter. */
        COMPUTED_ROWS,
        /** A computed field whose function takes arguments besides the row and the session: not in a filter. */
        COMPUTED_WITH_ARGUMENTS,
        /** A field whose meaning cannot be known now (its function does not resolve). */
        UNRESOLVED,
        UNKNOWN
    }

    Kind kind(String name);

    /** The table a relationship or a {@code SETOF} computed field leads to; empty when it cannot be known. */
    Optional<? extends BoolExpFields> target(String name);

    /** A table named in {@code _exists}; empty when there is none of that name. */
    Optional<? extends BoolExpFields> table(TableName name);
}
