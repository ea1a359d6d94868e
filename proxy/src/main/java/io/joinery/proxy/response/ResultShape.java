package io.joinery.proxy.response;

import java.util.List;

/**
 * The shape of a value Postgres returns for a root field or a keyed join, and so how
 * {@link ResultTranscoder} writes it as the response's JSON. Postgres sends objects as JSON arrays
 * of their values ({@code json_build_array(…)}; past 100 values the JSON of a record, keys
 * {@code f1}, {@code f2}, …) and the sidecar names their members; see Note [Rows from Postgres, JSON
 * from the sidecar].
 */
public sealed interface ResultShape {

    /** A value Postgres wrote as JSON (a column, a computed field, a count), copied as it is: numbers keep their text. */
    record Value() implements ResultShape {
    }

    /** A JSON array, or null, whose elements all have one shape (the rows of a select). */
    record ListOf(ResultShape element) implements ResultShape {
    }

    /** A record (an array of values), or null, written as an object: each {@link Read} member takes the record's next value, in order. */
    record Obj(List<Member> members) implements ResultShape {
        public Obj {
            members = List.copyOf(members);
        }
    }

    /** A JSON array of a fixed length, written as an array: the {@code [index, value]} pairs of a keyed join. */
    record Tuple(List<ResultShape> items) implements ResultShape {
        public Tuple {
            items = List.copyOf(items);
        }
    }

    /** A member of an {@link Obj}. */
    sealed interface Member {
        String key();
    }

    /** A member whose value is the record's next value. */
    record Read(String key, ResultShape value) implements Member {
    }

    /**
     * A member the sidecar writes without asking Postgres: a {@code __typename} (a string) or the
     * place of a remote join, filled in later (null).
     */
    record Constant(String key, String text) implements Member {
    }

    ResultShape VALUE = new Value();
}
