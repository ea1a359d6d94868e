package io.joinery.proxy.schema;

import graphql.Scalars;
import graphql.language.EnumTypeDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeReference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The actions a role may call, as root fields of its schema, and the custom types they reach: only
 * those, so a role sees nothing of an action it may not call (asking for it is a validation error,
 * "field … not found"). A custom object type gets its relationships to the tables the role sees,
 * an array relationship with the arguments of a table's rows ({@code where}, {@code order_by}, …).
 * Scalars other than GraphQL's are the engine's Postgres scalars or custom scalars: both accept
 * whatever JSON the value is ({@link JsonScalars}).
 */
final class ActionTypes {

    private final RoleAccess access;
    private final Map<String, GraphQLType> types;
    private final Function<TableModel, List<GraphQLArgument>> selectArguments;
    private final Function<String, GraphQLType> scalars;

    ActionTypes(RoleAccess access, Map<String, GraphQLType> types, Function<TableModel, List<GraphQLArgument>> selectArguments,
                Function<String, GraphQLType> scalars) {
        this.access = access;
        this.types = types;
        this.selectArguments = selectArguments;
        this.scalars = scalars;
    }

    /** The root fields of the role's actions of one operation ({@code mutation} or query), defining the types they use. */
    List<GraphQLFieldDefinition> rootFields(boolean mutation) {
        List<GraphQLFieldDefinition> fields = new ArrayList<>();
        for (ActionModel action : access.actions()) {
            if (action.asynchronous()) {
                fields.add(mutation ? enqueue(action) : result(action));
                continue;
            }
            if (action.mutation() != mutation) {
                continue;
            }
            GraphQLFieldDefinition.Builder field = GraphQLFieldDefinition.newFieldDefinition().name(action.name())
                    .type((GraphQLOutputType) type(action.output()));
            action.arguments().forEach((name, type) -> field.argument(GraphQLArgument.newArgument().name(name)
                    .type((GraphQLInputType) type(type))));
            fields.add(field.build());
        }
        return fields;
    }

    /** An asynchronous action's mutation: its arguments, and the id of the call ({@code uuid!}), as in Hasura. */
    private GraphQLFieldDefinition enqueue(ActionModel action) {
        GraphQLFieldDefinition.Builder field = GraphQLFieldDefinition.newFieldDefinition().name(action.name())
                .type(GraphQLNonNull.nonNull(scalars.apply("uuid")));
        action.arguments().forEach((name, type) -> field.argument(GraphQLArgument.newArgument().name(name)
                .type((GraphQLInputType) type(type))));
        return field.build();
    }

    /**
     * An asynchronous action's query, Hasura's: {@code action(id: uuid!): action} whose object type,
     * named after the action, has {@code id}, {@code created_at}, {@code errors} (null unless the call
     * failed) and {@code output} (null until the handler answered).
     */
    private GraphQLFieldDefinition result(ActionModel action) {
        Type<?> output = action.output() instanceof NonNullType nonNull ? nonNull.getType() : action.output();
        GraphQLObjectType object = GraphQLObjectType.newObject().name(action.name())
                .description("fields of action: \"" + action.name() + "\"")
                .field(GraphQLFieldDefinition.newFieldDefinition().name("created_at").description("the time at which this action was created")
                        .type(GraphQLNonNull.nonNull(scalars.apply("timestamptz"))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("errors").description("errors related to the invocation")
                        .type((GraphQLOutputType) scalars.apply("json")))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("id").description("the unique id of an action")
                        .type(GraphQLNonNull.nonNull(scalars.apply("uuid"))))
                .field(GraphQLFieldDefinition.newFieldDefinition().name("output").description("the output fields of this action")
                        .type((GraphQLOutputType) type(output)))
                .build();
        types.put(action.name(), object);
        return GraphQLFieldDefinition.newFieldDefinition().name(action.name())
                .description("retrieve the result of action: \"" + action.name() + "\"")
                .argument(GraphQLArgument.newArgument().name("id").type(GraphQLNonNull.nonNull((GraphQLInputType) scalars.apply("uuid"))))
                .type(GraphQLTypeReference.typeRef(action.name())).build();
    }

    private GraphQLType type(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> GraphQLNonNull.nonNull(type(nonNull.getType()));
            case ListType list -> GraphQLList.list(type(list.getType()));
            case TypeName name -> named(name.getName());
            default -> throw new IllegalArgumentException("unknown kind of type " + type);
        };
    }

    private GraphQLType named(String name) {
        if (name.equals("ID")) {
            return Scalars.GraphQLID;
        }
        TypeDefinition<?> custom = access.model().actions().types().get(name);
        if (custom == null || custom instanceof ScalarTypeDefinition) {
            return scalars.apply(name);
        }
        if (!types.containsKey(name)) {
            types.put(name, GraphQLTypeReference.typeRef(name)); // a placeholder while a recursive definition is built
            types.put(name, define(custom));
        }
        return GraphQLTypeReference.typeRef(name);
    }

    private GraphQLType define(TypeDefinition<?> definition) {
        return switch (definition) {
            case EnumTypeDefinition enumType -> {
                GraphQLEnumType.Builder values = GraphQLEnumType.newEnum().name(enumType.getName()).description(description(enumType));
                enumType.getEnumValueDefinitions().forEach(value -> values.value(value.getName(), value.getName(),
                        value.getDescription() == null ? null : value.getDescription().getContent()));
                yield values.build();
            }
            case InputObjectTypeDefinition input -> {
                GraphQLInputObjectType.Builder object = GraphQLInputObjectType.newInputObject().name(input.getName())
                        .description(description(input));
                for (InputValueDefinition field : input.getInputValueDefinitions()) {
                    GraphQLInputObjectField.Builder built = GraphQLInputObjectField.newInputObjectField().name(field.getName())
                            .type((GraphQLInputType) type(field.getType()));
                    if (field.getDefaultValue() != null) {
                        built.defaultValueLiteral(field.getDefaultValue()); // filled into the handler's input: action.InputDefaults
                    }
                    object.field(built);
                }
                yield object.build();
            }
            case ObjectTypeDefinition output -> object(output);
            default -> throw new IllegalStateException("not a custom type: " + definition.getName());
        };
    }

    private GraphQLObjectType object(ObjectTypeDefinition definition) {
        GraphQLObjectType.Builder object = GraphQLObjectType.newObject().name(definition.getName()).description(description(definition));
        for (FieldDefinition field : definition.getFieldDefinitions()) {
            object.field(GraphQLFieldDefinition.newFieldDefinition().name(field.getName())
                    .description(field.getDescription() == null ? null : field.getDescription().getContent())
                    .type((GraphQLOutputType) type(field.getType())));
        }
        access.model().actions().relationshipsOf(definition.getName()).values().forEach(relationship -> {
            TableModel target = access.model().table(relationship.target());
            if (!access.visible(target) || !(types.get(target.typeName()) instanceof GraphQLObjectType)) {
                return;
            }
            GraphQLTypeReference row = GraphQLTypeReference.typeRef(target.typeName());
            object.field(relationship.array()
                    ? GraphQLFieldDefinition.newFieldDefinition().name(relationship.name())
                    .description("An array relationship to table " + target.name()).arguments(selectArguments.apply(target))
                    .type(GraphQLNonNull.nonNull(GraphQLList.list(GraphQLNonNull.nonNull(row)))).build()
                    : GraphQLFieldDefinition.newFieldDefinition().name(relationship.name())
                    .description("An object relationship to table " + target.name()).type(row).build());
        });
        return object.build();
    }

    private static String description(TypeDefinition<?> definition) {
        return definition instanceof graphql.language.AbstractDescribedNode<?> described && described.getDescription() != null
                ? described.getDescription().getContent() : null;
    }
}
