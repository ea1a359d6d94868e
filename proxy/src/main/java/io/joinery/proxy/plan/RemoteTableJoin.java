package io.joinery.proxy.plan;

import io.joinery.proxy.schema.RelationshipModel;

import java.util.List;

/**
 * A table joined into a remote field's answer ({@code Profile.author}): the objects at
 * {@code path} (response keys below the remote root field; lists are walked through) get the field
 * {@code alias} from ONE SQL statement for all of them, keyed by the remote fields of
 * {@code relationship.mapping()}. The remote query selects those fields under {@code keyAliases}
 * (phantom, removed before the response).
 */
public record RemoteTableJoin(List<String> path, String alias, RelationshipModel relationship, String source, Select select,
                              List<RowField> fields, List<String> keyAliases) {

    public RemoteTableJoin {
        path = List.copyOf(path);
        fields = List.copyOf(fields);
        keyAliases = List.copyOf(keyAliases);
    }
}
