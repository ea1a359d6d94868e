package io.joinery.proxy.schema;

import io.joinery.proxy.remote.Subgraph;

import java.util.List;

/**
 * How the keys of one remote join travel to the remote and how its answer comes back to the rows:
 * carried by the last {@link RemotePathStep} of a remote relationship's path.
 */
public sealed interface JoinForm permits JoinForm.PerKey, JoinForm.ListArgument, JoinForm.Entities {

    JoinForm PER_KEY = new PerKey();

    /** Whether the join's value for a row is the list of every result of its key. */
    default boolean array() {
        return false;
    }

    /** One aliased field per distinct key: {@code f0: profile(authorId: 1) … f1: profile(authorId: 2)}. */
    record PerKey() implements JoinForm {
    }

    /**
     * All the keys in the argument template of the last step ({@code "$column"} = the list of the
     * distinct values; a one-element list template = one element per distinct key); the list it
     * returns is matched back by the result fields {@code keyFields} (one per key column, in order).
     * {@code array}: a row gets every result of its key; otherwise the one result, or null.
     */
    record ListArgument(List<String> keyFields, boolean array) implements JoinForm {
        public ListArgument {
            keyFields = List.copyOf(keyFields);
        }
    }

    /**
     * Apollo Federation: the keys as {@code _entities(representations: [{__typename: typename,
     * keyFields…}])}; the results come back in representation order. The path is the single
     * step {@code _entities}.
     */
    record Entities(String typename, List<String> keyFields) implements JoinForm {
        public static final String FIELD = Subgraph.ENTITIES_FIELD;

        public Entities {
            keyFields = List.copyOf(keyFields);
        }
    }
}
