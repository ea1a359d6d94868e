package io.joinery.proxy.plan;

import io.joinery.proxy.schema.ComputedFieldModel;

import graphql.language.FragmentDefinition;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import io.joinery.proxy.schema.JoinForm;
import io.joinery.proxy.schema.RemotePathStep;

import java.util.List;
import java.util.Map;

/**
 * A remote relationship at one place of a plan: which remote, the row columns (or, joined into a
 * remote answer, the parent object's fields) that make the key,
 * the remote field path with its argument templates ({@code "$column"} = the row's value), and the
 * client's selection under the field with the fragments and variable definitions it may use.
 * How the keys travel — one aliased field per key, one list argument, or {@code _entities} — is
 * the {@link JoinForm} carried by the last step of the path. See Note [Phantom join keys]. {@code arguments} are the
 * client's on the relationship's field, merged into the last step's (Note [Arguments a remote relationship leaves to
 * the caller] in {@code schema.RemoteRelationshipArguments}). {@code relationship} is the relationship's name in
 * metadata: unlike the alias, a bounded value for metrics and traces.
 */
public record JoinSpec(String alias, String remote, List<String> keyColumns, List<RemotePathStep> path, SelectionSet selection,
                       Map<String, FragmentDefinition> fragments, List<VariableDefinition> variableDefinitions,
                       List<graphql.language.Argument> arguments, String relationship, Map<String, ComputedFieldModel> computedKeys) {

    /** A join whose keys are all columns (or fields of a remote answer). */
    public JoinSpec(String alias, String remote, List<String> keyColumns, List<RemotePathStep> path, SelectionSet selection,
                    Map<String, FragmentDefinition> fragments, List<VariableDefinition> variableDefinitions,
                    List<graphql.language.Argument> arguments, String relationship) {
        this(alias, remote, keyColumns, path, selection, fragments, variableDefinitions, arguments, relationship, Map.of());
    }

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

    /** A join without arguments of the client's. */
    public JoinSpec(String alias, String remote, List<String> keyColumns, List<RemotePathStep> path, SelectionSet selection,
                    Map<String, FragmentDefinition> fragments, List<VariableDefinition> variableDefinitions, String relationship) {
        this(alias, remote, keyColumns, path, selection, fragments, variableDefinitions, List.of(), relationship);
    }

    public JoinSpec {
        computedKeys = Map.copyOf(computedKeys);
        arguments = List.copyOf(arguments);
        keyColumns = List.copyOf(keyColumns);
        path = List.copyOf(path);
        fragments = Map.copyOf(fragments);
        variableDefinitions = List.copyOf(variableDefinitions);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a remote join needs a remote field path");
        }
        for (int i = 0; i < path.size() - 1; i++) {
            if (!(path.get(i).form() instanceof JoinForm.PerKey)) {
                throw new IllegalArgumentException("only the last step of a remote path takes the keys in a batch");
            }
        }
        if (path.getLast().form() instanceof JoinForm.ListArgument list && list.keyFields().size() != keyColumns.size()
                || path.getLast().form() instanceof JoinForm.Entities entities && entities.keyFields().size() != keyColumns.size()) {
            throw new IllegalArgumentException("a batch join names one result field per key column");
        }
    }

    public String phantomKey() {
        return PHANTOM_PREFIX + alias;
    }

    /** How the keys go to the remote and how its answer comes back to the rows. */
    public JoinForm form() {
        return path.getLast().form();
    }
}
