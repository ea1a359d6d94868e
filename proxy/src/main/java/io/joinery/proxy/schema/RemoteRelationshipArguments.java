package io.joinery.proxy.schema;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.proxy.remote.RemoteSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Note [Arguments a remote relationship leaves to the caller]: as in Hasura, the field a remote relationship
 * adds takes the arguments of its remote field that the relationship's template does not set: an argument
 * it leaves out is offered as the remote declares it, and an input object it sets only some fields of is
 * offered as a new input type {@code <Type>_remote_rel_<table type><relationship>} with the other fields
 * (nested the same way). What the caller writes there is merged into the template when the join is sent
 * ({@code join.JoinDocuments}); the template's own values win. Only joins of one key per field
 * ({@link JoinForm.PerKey}) take them, as the batch forms set their arguments themselves.
 */
final class RemoteRelationshipArguments {

    private final Map<String, GraphQLType> types;
    private final UnaryOperator<String> rename;
    private final String suffix;

    private RemoteRelationshipArguments(Map<String, GraphQLType> types, UnaryOperator<String> rename, String suffix) {
        this.types = types;
        this.rename = rename;
        this.suffix = suffix;
    }

    /** The arguments of {@code relationship}'s field on {@code tableType}; new input types go to {@code types}. */
    static List<GraphQLArgument> of(RemoteRelationshipModel relationship, RemoteSchema remote, String tableType,
                                    Map<String, GraphQLType> types) {
        if (!(relationship.form() instanceof JoinForm.PerKey)) {
            return List.of();
        }
        GraphQLFieldDefinition field = lastField(relationship, remote);
        if (field == null) {
            return List.of();
        }
        RemoteRelationshipArguments left = new RemoteRelationshipArguments(types, RemoteTypes.renaming(remote),
                "_remote_rel_" + tableType + relationship.name());
        JsonNode template = relationship.path().getLast().arguments();
        List<GraphQLArgument> arguments = new ArrayList<>();
        for (GraphQLArgument argument : field.getArguments()) {
            JsonNode set = template == null ? null : template.get(argument.getName());
            GraphQLInputType type = set == null ? (GraphQLInputType) RemoteTypes.ref(argument.getType(), left.rename)
                    : left.remaining(argument.getType(), set);
            if (type != null) {
                arguments.add(GraphQLArgument.newArgument().name(argument.getName()).description(argument.getDescription()).type(type).build());
            }
        }
        return arguments;
    }

    /** The part of an input object type that {@code set} leaves open, as a new type; null when nothing is left. */
    private GraphQLInputType remaining(GraphQLInputType declared, JsonNode set) {
        if (!set.isObject() || !(GraphQLTypeUtil.unwrapAll(declared) instanceof GraphQLInputObjectType object)) {
            return null;
        }
        String name = rename.apply(object.getName()) + suffix;
        if (types.containsKey(name)) {
            return GraphQLTypeReference.typeRef(name);
        }
        GraphQLInputObjectType.Builder left = GraphQLInputObjectType.newInputObject().name(name).description(object.getDescription());
        int fields = 0;
        for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
            JsonNode inner = set.get(field.getName());
            GraphQLInputType type = inner == null ? (GraphQLInputType) RemoteTypes.ref(field.getType(), rename) : remaining(field.getType(), inner);
            if (type != null) {
                left.field(GraphQLInputObjectField.newInputObjectField().name(field.getName()).description(field.getDescription())
                        .type(type instanceof GraphQLNonNull nonNull && inner != null ? (GraphQLInputType) nonNull.getWrappedType() : type));
                fields++;
            }
        }
        if (fields == 0) {
            return null;
        }
        types.put(name, left.build());
        return GraphQLTypeReference.typeRef(name);
    }

    private static GraphQLFieldDefinition lastField(RemoteRelationshipModel relationship, RemoteSchema remote) {
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLFieldDefinition field = null;
        for (RemotePathStep step : relationship.path()) {
            if (parent == null) {
                return null;
            }
            field = parent.getFieldDefinition(step.field());
            if (field == null) {
                return null;
            }
            parent = GraphQLTypeUtil.unwrapAll(field.getType()) instanceof GraphQLFieldsContainer container ? container : null;
        }
        return field;
    }
}
