package io.joinery.admin.check;

import graphql.GraphQLException;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.parser.Parser;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.MetadataException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The GraphQL type names that actions' type references and custom types' fields use. */
final class TypeReferences {

    private TypeReferences() {
    }

    /** {@code "[OrderResult!]!"} as a type, or empty when it is not a GraphQL type reference. */
    static Optional<Type<?>> parse(String reference) {
        try {
            return Optional.of(Parser.parseType(reference));
        } catch (GraphQLException e) {
            return Optional.empty();
        }
    }

    /** The named type inside lists and non-nulls: {@code OrderResult} of {@code [OrderResult!]!}. */
    static String baseName(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> baseName(nonNull.getType());
            case ListType list -> baseName(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException("unknown kind of type " + type);
        };
    }

    /** The type names of an action's arguments and output that are GraphQL type references. */
    static List<String> usedBy(Action action) {
        List<String> names = new ArrayList<>();
        action.arguments().values().forEach(reference -> parse(reference).map(TypeReferences::baseName).ifPresent(names::add));
        parse(action.output()).map(TypeReferences::baseName).ifPresent(names::add);
        return names;
    }

    /** The type names of the fields of a custom input or object type; none for one that is not a valid definition. */
    static List<String> usedBy(CustomType type) {
        try {
            return fieldTypes(type.typeDefinition()).stream().map(TypeReferences::baseName).toList();
        } catch (MetadataException e) {
            return List.of();
        }
    }

    static List<Type<?>> fieldTypes(TypeDefinition<?> definition) {
        List<Type<?>> types = new ArrayList<>();
        if (definition instanceof InputObjectTypeDefinition input) {
            input.getInputValueDefinitions().stream().map(InputValueDefinition::getType).forEach(types::add);
        } else if (definition instanceof ObjectTypeDefinition object) {
            object.getFieldDefinitions().stream().map(FieldDefinition::getType).forEach(types::add);
        }
        return types;
    }
}
