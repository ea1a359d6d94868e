package io.joinery.proxy.schema;

import graphql.schema.GraphQLOutputType;

import java.util.List;

/**
 * A resolved remote relationship of a table (or of a remote schema's type): the remote, the table
 * columns its arguments read ({@code keyColumns}, SQL names, in template order; for a remote type,
 * its scalar fields), the remote field path, and the GraphQL type
 * of the field it adds (the last path field's type; for a batch or federation join, the result
 * object type, or a list of it for an array). The last path step carries the join's form.
 */
public record RemoteRelationshipModel(String name, String remote, List<String> keyColumns, List<RemotePathStep> path,
                                      GraphQLOutputType type) {

    public RemoteRelationshipModel {
        keyColumns = List.copyOf(keyColumns);
        path = List.copyOf(path);
    }

    /** How the keys travel: per key, in one list argument, or as federation entity representations. */
    public JoinForm form() {
        return path.getLast().form();
    }
}
