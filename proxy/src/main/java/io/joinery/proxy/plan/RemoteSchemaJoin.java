package io.joinery.proxy.plan;

import java.util.List;

/**
 * A remote schema joined into another remote field's answer ({@code Profile.account}): the objects
 * at {@code path} (response keys below the remote field; lists are walked through) get the field
 * {@code field.alias()} from ONE request to {@code field.join().remote()} for all of them (per batch
 * size), keyed by the parent type's fields {@code field.join().keyColumns()}. The parent's query
 * selects those under {@code keyAliases} (phantom, removed before the response; see Note [Phantom
 * join keys]). What is joined into its own answer (tables, remote schemas) is {@code field}'s.
 */
public record RemoteSchemaJoin(List<String> path, RowField.RemoteJoin field, List<String> keyAliases) {

    public RemoteSchemaJoin {
        path = List.copyOf(path);
        keyAliases = List.copyOf(keyAliases);
        if (keyAliases.size() != field.join().keyColumns().size()) {
            throw new IllegalArgumentException("a remote schema join selects one phantom field per key field");
        }
    }
}
