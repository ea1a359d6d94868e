package io.joinery.proxy.schema;

import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedOutputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;
import graphql.schema.GraphQLUnionType;

import java.util.List;
import java.util.Set;

/**
 * A remote schema's types copied into the graph with every reference to another type made by
 * name ({@link GraphQLTypeReference}), so they resolve against the graph's own instances: scalars
 * that several remotes and tables share are one type, and a remote type can get fields joined to
 * tables without the other types still pointing at the old instance.
 */
final class RemoteTypes {

    private static final Set<String> BUILT_IN = Set.of("Int", "Float", "String", "Boolean", "ID");

    private RemoteTypes() {
    }

    static GraphQLNamedType copy(GraphQLNamedType type, List<GraphQLFieldDefinition> extraFields) {
        return switch (type) {
            case GraphQLObjectType object -> object.transform(b -> {
                b.replaceFields(object.getFieldDefinitions().stream().map(RemoteTypes::field).toList());
                extraFields.forEach(b::field);
                b.replaceInterfaces(object.getInterfaces().stream().map(i -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(i.getName())).toList());
            });
            case GraphQLInterfaceType face -> face.transform(b -> {
                b.replaceFields(face.getFieldDefinitions().stream().map(RemoteTypes::field).toList());
                b.replaceInterfacesOrReferences(face.getInterfaces().stream().map(i -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(i.getName())).toList());
            });
            case GraphQLUnionType union -> union.transform(b -> b.replacePossibleTypes(
                    union.getTypes().stream().map(t -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(t.getName())).toList()));
            case GraphQLInputObjectType input -> input.transform(b -> b.replaceFields(input.getFieldDefinitions().stream()
                    .map(f -> f.transform(fb -> fb.type((GraphQLInputType) ref(f.getType())))).toList()));
            default -> type;
        };
    }

    static GraphQLFieldDefinition field(GraphQLFieldDefinition field) {
        return field.transform(b -> b.type((GraphQLOutputType) ref(field.getType()))
                .replaceArguments(field.getArguments().stream().map(RemoteTypes::argument).toList()));
    }

    private static GraphQLArgument argument(GraphQLArgument argument) {
        return argument.transform(b -> b.type((GraphQLInputType) ref(argument.getType())));
    }

    static GraphQLType ref(GraphQLType type) {
        return switch (type) {
            case GraphQLNonNull nonNull -> GraphQLNonNull.nonNull(ref(nonNull.getWrappedType()));
            case GraphQLList list -> GraphQLList.list(ref(list.getWrappedType()));
            case GraphQLScalarType scalar when BUILT_IN.contains(scalar.getName()) -> scalar;
            case GraphQLNamedType named -> GraphQLTypeReference.typeRef(named.getName());
            default -> type;
        };
    }

    static boolean abstractType(GraphQLNamedType type) {
        return type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;
    }
}
