package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.FragmentDefinition;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;

import java.util.List;
import java.util.Map;

/**
 * A remote relationship at one place of a plan: which remote, the row columns (or, joined into a
 * remote answer, the parent object's fields) that make the key,
 * the remote field path with its argument templates ({@code "$column"} = the row's value), and the
 * client's selection under the field with the fragments and variable definitions it may use.
 * How the keys travel — one aliased field per key, one list argument, or {@code _entities} — is
 * the {@link Form} carried by the last step of the path. See Note [Phantom join keys].
 */
public record RemoteJoin(String alias, String remote, List<String> keyColumns, List<PathStep> path, SelectionSet selection,
                         Map<String, FragmentDefinition> fragments, List<VariableDefinition> variableDefinitions) {

    /*
     * Note [Phantom join keys]
     * The SQL of a row that carries a remote join adds one extra JSON key, phantomKey(alias),
     * holding the array of the row's key column values in keyColumns order, whether or not the
     * client selected those columns. It is taken out of the row when the row is collected for the
     * join; the join executor replaces the placeholder at the alias with the remote's value.
     * A remote answer whose objects carry a join (to a table, Profile.author, or to a remote
     * schema, Profile.account) gets the key fields the same way: the query to that remote selects
     * them under the aliases PHANTOM_PREFIX + alias + "_" + field, whether or not the client
     * selected them, and they are taken out of the objects (the joined field taking the place of
     * the first) before the join runs.
     * The batch form does the same on the remote's side: it adds the result fields that carry
     * the key to the selection under aliases that no field of the selection uses, matches the
     * results by them, and removes them before the value is stitched in.
     */
    public static final String PHANTOM_PREFIX = "__joinery_key_";

    public RemoteJoin {
        keyColumns = List.copyOf(keyColumns);
        path = List.copyOf(path);
        fragments = Map.copyOf(fragments);
        variableDefinitions = List.copyOf(variableDefinitions);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a remote join needs a remote field path");
        }
        for (int i = 0; i < path.size() - 1; i++) {
            if (!(path.get(i).form() instanceof PerKey)) {
                throw new IllegalArgumentException("only the last step of a remote path takes the keys in a batch");
            }
        }
        if (path.getLast().form() instanceof ListArgument list && list.keyFields().size() != keyColumns.size()
                || path.getLast().form() instanceof Entities entities && entities.keyFields().size() != keyColumns.size()) {
            throw new IllegalArgumentException("a batch join names one result field per key column");
        }
    }

    public String phantomKey() {
        return PHANTOM_PREFIX + alias;
    }

    /** How the keys go to the remote and how its answer comes back to the rows. */
    public Form form() {
        return path.getLast().form();
    }

    /**
     * One field of the remote path: {@code profile(authorId: $id)}; arguments is a JSON object
     * template. The last step's form says how the keys are sent (see {@link Form}).
     */
    public record PathStep(String field, JsonNode arguments, Form form) {

        public PathStep {
            form = form == null ? Form.PER_KEY : form;
        }

        public PathStep(String field, JsonNode arguments) {
            this(field, arguments, Form.PER_KEY);
        }
    }

    /** How the keys of one remote join travel. */
    public sealed interface Form permits PerKey, ListArgument, Entities {
        Form PER_KEY = new PerKey();

        /** Whether the join's value for a row is the list of every result of its key. */
        default boolean array() {
            return false;
        }
    }

    /** One aliased field per distinct key: {@code f0: profile(authorId: 1) … f1: profile(authorId: 2)}. */
    public record PerKey() implements Form {
    }

    /**
     * All the keys in the argument template of the last step ({@code "$column"} = the list of the
     * distinct values; a one-element list template = one element per distinct key); the list it
     * returns is matched back by the result fields {@code keyFields} (one per key column, in order).
     * {@code array}: a row gets every result of its key; otherwise the one result, or null.
     */
    public record ListArgument(List<String> keyFields, boolean array) implements Form {
        public ListArgument {
            keyFields = List.copyOf(keyFields);
        }
    }

    /**
     * Apollo Federation: the keys as {@code _entities(representations: [{__typename: typename,
     * keyFields…}])}; the results come back in representation order. The path is the single
     * step {@code _entities}.
     */
    public record Entities(String typename, List<String> keyFields) implements Form {
        public static final String FIELD = "_entities";

        public Entities {
            keyFields = List.copyOf(keyFields);
        }
    }
}
