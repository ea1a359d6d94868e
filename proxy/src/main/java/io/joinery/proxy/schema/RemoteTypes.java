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
import io.joinery.admin.metadata.RemoteSchemaConfig.Customization;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

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

    /**
     * A copy of {@code type} named {@code rename(name)}, its references renamed too (scalars keep
     * their names, so tables and remotes share them), with {@code extraFields} added to an object type.
     */
    static GraphQLNamedType copy(GraphQLNamedType type, List<GraphQLFieldDefinition> extraFields, UnaryOperator<String> rename) {
        return copy(type, extraFields, rename, Customization.NONE);
    }

    /** As {@link #copy(GraphQLNamedType, List, UnaryOperator)}, the fields of object and interface types named as {@code fields} shows them. */
    static GraphQLNamedType copy(GraphQLNamedType type, List<GraphQLFieldDefinition> extraFields, UnaryOperator<String> rename,
                                 Customization fields) {
        return switch (type) {
            case GraphQLObjectType object -> object.transform(b -> {
                b.name(rename.apply(object.getName()));
                b.replaceFields(object.getFieldDefinitions().stream().map(f -> field(f, rename, object.getName(), fields)).toList());
                extraFields.forEach(b::field);
                b.replaceInterfaces(object.getInterfaces().stream()
                        .map(i -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(rename.apply(i.getName()))).toList());
            });
            case GraphQLInterfaceType face -> face.transform(b -> {
                b.name(rename.apply(face.getName()));
                b.replaceFields(face.getFieldDefinitions().stream().map(f -> field(f, rename, face.getName(), fields)).toList());
                b.replaceInterfacesOrReferences(face.getInterfaces().stream()
                        .map(i -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(rename.apply(i.getName()))).toList());
            });
            case GraphQLUnionType union -> union.transform(b -> b.name(rename.apply(union.getName())).replacePossibleTypes(
                    union.getTypes().stream().map(t -> (GraphQLNamedOutputType) GraphQLTypeReference.typeRef(rename.apply(t.getName()))).toList()));
            case GraphQLInputObjectType input -> input.transform(b -> b.name(rename.apply(input.getName())).replaceFields(input.getFieldDefinitions().stream()
                    .map(f -> f.transform(fb -> fb.type((GraphQLInputType) ref(f.getType(), rename)))).toList()));
            case graphql.schema.GraphQLEnumType enumType -> enumType.transform(b -> b.name(rename.apply(enumType.getName())));
            default -> type;
        };
    }

    static GraphQLFieldDefinition field(GraphQLFieldDefinition field, UnaryOperator<String> rename) {
        return field.transform(b -> b.type((GraphQLOutputType) ref(field.getType(), rename))
                .replaceArguments(field.getArguments().stream().map(a -> argument(a, rename)).toList()));
    }

    /** {@code field} of the remote's type {@code parent}, named as {@code fields} shows it (Hasura's {@code field_names}). */
    static GraphQLFieldDefinition field(GraphQLFieldDefinition field, UnaryOperator<String> rename, String parent, Customization fields) {
        GraphQLFieldDefinition copied = field(field, rename);
        String shown = fields.fieldName(parent, field.getName());
        return shown.equals(field.getName()) ? copied : copied.transform(b -> b.name(shown));
    }

    private static GraphQLArgument argument(GraphQLArgument argument, UnaryOperator<String> rename) {
        return argument.transform(b -> b.type((GraphQLInputType) ref(argument.getType(), rename)));
    }

    static GraphQLType ref(GraphQLType type, UnaryOperator<String> rename) {
        return switch (type) {
            case GraphQLNonNull nonNull -> GraphQLNonNull.nonNull(ref(nonNull.getWrappedType(), rename));
            case GraphQLList list -> GraphQLList.list(ref(list.getWrappedType(), rename));
            case GraphQLScalarType scalar when BUILT_IN.contains(scalar.getName()) -> scalar;
            case GraphQLScalarType scalar -> GraphQLTypeReference.typeRef(scalar.getName());
            case GraphQLNamedType named -> GraphQLTypeReference.typeRef(rename.apply(named.getName()));
            default -> type;
        };
    }

    /** A remote's type renaming: its customization's mapping, else prefix and suffix; none for scalars. */
    static UnaryOperator<String> renaming(io.joinery.proxy.remote.RemoteSchema remote) {
        var customization = remote.config().customization();
        if (!customization.renamesTypes()) {
            return UnaryOperator.identity();
        }
        graphql.schema.GraphQLSchema schema = remote.schema();
        return name -> schema.getType(name) instanceof GraphQLScalarType || BUILT_IN.contains(name) ? name : customization.typeName(name);
    }

    static boolean abstractType(GraphQLNamedType type) {
        return type instanceof GraphQLInterfaceType || type instanceof GraphQLUnionType;
    }
}
