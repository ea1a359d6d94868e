package io.joinery.proxy.remote;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.FragmentDefinition;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;

import java.util.List;
import java.util.Map;

/**
 * A remote relationship at one place of a plan: which remote, the row columns that make the key,
 * the remote field path with its argument templates ({@code "$column"} = the row's value), and the
 * client's selection under the field with the fragments and variable definitions it may use.
 * See Note [Phantom join keys].
 */
public record RemoteJoin(String alias, String remote, List<String> keyColumns, List<PathStep> path, SelectionSet selection,
                         Map<String, FragmentDefinition> fragments, List<VariableDefinition> variableDefinitions) {

    /*
     * Note [Phantom join keys]
     * The SQL of a row that carries a remote join adds one extra JSON key, phantomKey(alias),
     * holding the array of the row's key column values in keyColumns order, whether or not the
     * client selected those columns. The join executor reads it, replaces the placeholder at the
     * alias with the remote's value, and removes the phantom key before the response is written.
     */
    public static final String PHANTOM_PREFIX = "__joinery_key_";

    public RemoteJoin {
        keyColumns = List.copyOf(keyColumns);
        path = List.copyOf(path);
        fragments = Map.copyOf(fragments);
        variableDefinitions = List.copyOf(variableDefinitions);
    }

    public String phantomKey() {
        return PHANTOM_PREFIX + alias;
    }

    /** One field of the remote path: {@code profile(authorId: $id)}; arguments is a JSON object template. */
    public record PathStep(String field, JsonNode arguments) {
    }
}
