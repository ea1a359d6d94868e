package io.joinery.proxy.remote;

import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLImplementingType;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a permission's SDL is a subset of a remote's schema (Note [Remote schema permissions] in
 * {@link RemotePermission}): each type the remote's, of the same kind; each field, argument, input
 * field, enum value, union member and interface the remote's, with the same type; every argument
 * and input field the remote requires (non-null, without default) kept; the root types the
 * remote's. Each problem names its place.
 */
final class RemoteSubset {

    private RemoteSubset() {
    }

    static List<String> problems(Document document, GraphQLSchema remote) {
        List<String> problems = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            switch (definition) {
                case ObjectTypeDefinition object -> fields(object.getName(), object.getFieldDefinitions(),
                        object.getImplements(), remote.getType(object.getName()), GraphQLObjectType.class, "object", problems);
                case InterfaceTypeDefinition anInterface -> fields(anInterface.getName(), anInterface.getFieldDefinitions(),
                        anInterface.getImplements(), remote.getType(anInterface.getName()), GraphQLInterfaceType.class, "interface", problems);
                case InputObjectTypeDefinition input -> inputObject(input, remote.getType(input.getName()), problems);
                case EnumTypeDefinition anEnum -> enumType(anEnum, remote.getType(anEnum.getName()), problems);
                case UnionTypeDefinition union -> union(union, remote.getType(union.getName()), problems);
                case ScalarTypeDefinition scalar -> {
                    if (!(remote.getType(scalar.getName()) instanceof GraphQLScalarType)) {
                        problems.add("the remote has no scalar " + scalar.getName());
                    }
                }
                case SchemaDefinition schema -> schema.getOperationTypeDefinitions().forEach(root -> rootType(root, remote, problems));
                case DirectiveDefinition directive when directive.getName().equals("preset") -> {
                }
                default -> problems.add("only type, input, enum, union, interface, scalar and schema definitions may appear, not "
                        + AstPrinter.printAstCompact(definition));
            }
        }
        return problems;
    }

    private static void rootType(OperationTypeDefinition root, GraphQLSchema remote, List<String> problems) {
        GraphQLObjectType type = switch (root.getName()) {
            case "query" -> remote.getQueryType();
            case "mutation" -> remote.getMutationType();
            default -> null;
        };
        if (type == null || !type.getName().equals(root.getTypeName().getName())) {
            problems.add("the remote's " + root.getName() + " root type is not " + root.getTypeName().getName());
        }
    }

    private static void fields(String name, List<FieldDefinition> fields, List<Type> interfaces, graphql.schema.GraphQLType remoteType,
                               Class<? extends GraphQLFieldsContainer> kind, String kindName, List<String> problems) {
        if (!kind.isInstance(remoteType)) {
            problems.add("the remote has no " + kindName + " type " + name);
            return;
        }
        GraphQLFieldsContainer container = (GraphQLFieldsContainer) remoteType;
        Set<String> implemented = ((GraphQLImplementingType) container).getInterfaces().stream()
                .map(GraphQLNamedType::getName).collect(Collectors.toSet());
        for (Type<?> anInterface : interfaces) {
            String interfaceName = ((TypeName) anInterface).getName();
            if (!implemented.contains(interfaceName)) {
                problems.add(name + " does not implement " + interfaceName + " in the remote");
            }
        }
        for (FieldDefinition field : fields) {
            String where = name + "." + field.getName();
            GraphQLFieldDefinition remoteField = container.getFieldDefinition(field.getName());
            if (remoteField == null) {
                problems.add("the remote has no field " + where);
                continue;
            }
            sameType(where, field.getType(), remoteField.getType(), problems);
            for (InputValueDefinition argument : field.getInputValueDefinitions()) {
                GraphQLArgument remoteArgument = remoteField.getArgument(argument.getName());
                if (remoteArgument == null) {
                    problems.add("the remote has no argument " + where + "(" + argument.getName() + ")");
                } else {
                    sameType(where + "(" + argument.getName() + ")", argument.getType(), remoteArgument.getType(), problems);
                }
            }
            Set<String> kept = field.getInputValueDefinitions().stream().map(InputValueDefinition::getName).collect(Collectors.toSet());
            for (GraphQLArgument required : remoteField.getArguments()) {
                if (required(required.getType(), required.hasSetDefaultValue()) && !kept.contains(required.getName())) {
                    problems.add("the remote requires the argument " + where + "(" + required.getName() + "), which the schema leaves out");
                }
            }
        }
    }

    private static void inputObject(InputObjectTypeDefinition input, graphql.schema.GraphQLType remoteType, List<String> problems) {
        if (!(remoteType instanceof GraphQLInputObjectType remote)) {
            problems.add("the remote has no input type " + input.getName());
            return;
        }
        Set<String> kept = input.getInputValueDefinitions().stream().map(InputValueDefinition::getName).collect(Collectors.toSet());
        for (InputValueDefinition field : input.getInputValueDefinitions()) {
            String where = input.getName() + "." + field.getName();
            GraphQLInputObjectField remoteField = remote.getField(field.getName());
            if (remoteField == null) {
                problems.add("the remote has no input field " + where);
                continue;
            }
            sameType(where, field.getType(), remoteField.getType(), problems);
        }
        for (GraphQLInputObjectField required : remote.getFieldDefinitions()) {
            if (required(required.getType(), required.hasSetDefaultValue()) && !kept.contains(required.getName())) {
                problems.add("the remote requires the input field " + input.getName() + "." + required.getName() + ", which the schema leaves out");
            }
        }
    }

    private static void enumType(EnumTypeDefinition anEnum, graphql.schema.GraphQLType remoteType, List<String> problems) {
        if (!(remoteType instanceof GraphQLEnumType remote)) {
            problems.add("the remote has no enum " + anEnum.getName());
            return;
        }
        for (EnumValueDefinition value : anEnum.getEnumValueDefinitions()) {
            if (remote.getValue(value.getName()) == null) {
                problems.add("the remote's enum " + anEnum.getName() + " has no value " + value.getName());
            }
        }
    }

    private static void union(UnionTypeDefinition union, graphql.schema.GraphQLType remoteType, List<String> problems) {
        if (!(remoteType instanceof GraphQLUnionType remote)) {
            problems.add("the remote has no union " + union.getName());
            return;
        }
        Set<String> members = remote.getTypes().stream().map(GraphQLNamedType::getName).collect(Collectors.toSet());
        for (Type<?> member : union.getMemberTypes()) {
            String name = ((TypeName) member).getName();
            if (!members.contains(name)) {
                problems.add("the remote's union " + union.getName() + " has no member " + name);
            }
        }
    }

    private static boolean required(GraphQLInputType type, boolean hasDefault) {
        return type instanceof GraphQLNonNull && !hasDefault;
    }

    private static void sameType(String where, Type<?> declared, graphql.schema.GraphQLType remote, List<String> problems) {
        String mine = AstPrinter.printAstCompact(declared);
        String theirs = GraphQLTypeUtil.simplePrint(remote);
        if (!mine.equals(theirs)) {
            problems.add(where + " has the type " + theirs + " in the remote, not " + mine);
        }
    }
}
