package io.joinery.proxy.parse;

import graphql.Scalars;
import graphql.language.Argument;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Note [Offsets written as strings]: Hasura's {@code offset} is its {@code bigInt} parser, shown as
 * {@code Int} but also taking a string of digits ({@code offset: "1"}), so that a client can write
 * offsets beyond what JSON numbers carry safely; graphql-java's {@code Int} refuses a string. When
 * validation refuses a document, the string literals given to an {@code offset: Int} argument of the
 * schema's fields are rewritten as the integers they spell and the document is validated again; a
 * document that validates never comes here. Only arguments the schema declares {@code Int} are
 * touched (a remote field's {@code offset: String} keeps its string).
 */
final class OffsetStrings {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    private final GraphQLSchema schema;
    private final Map<String, FragmentDefinition> fragments;
    private boolean changed;

    private OffsetStrings(GraphQLSchema schema, Map<String, FragmentDefinition> fragments) {
        this.schema = schema;
        this.fragments = fragments;
    }

    /** {@code document} with its string offsets as integers; null when it has none. */
    static Document rewrite(GraphQLSchema schema, Document document) {
        Map<String, FragmentDefinition> fragments = new java.util.HashMap<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
        OffsetStrings rewriter = new OffsetStrings(schema, fragments);
        List<Definition> definitions = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            definitions.add(switch (definition) {
                case OperationDefinition operation -> {
                    GraphQLFieldsContainer root = switch (operation.getOperation()) {
                        case MUTATION -> schema.getMutationType();
                        case SUBSCRIPTION -> schema.getSubscriptionType();
                        default -> schema.getQueryType();
                    };
                    yield root == null ? operation
                            : operation.transform(b -> b.selectionSet(rewriter.selections(operation.getSelectionSet(), root)));
                }
                case FragmentDefinition fragment -> schema.getType(fragment.getTypeCondition().getName()) instanceof GraphQLFieldsContainer on
                        ? fragment.transform(b -> b.selectionSet(rewriter.selections(fragment.getSelectionSet(), on))) : fragment;
                default -> definition;
            });
        }
        return rewriter.changed ? document.transform(b -> b.definitions(definitions)) : null;
    }

    private SelectionSet selections(SelectionSet set, GraphQLFieldsContainer parent) {
        if (set == null) {
            return null;
        }
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            out.add(switch (selection) {
                case Field field -> field(field, parent);
                case InlineFragment inline -> {
                    GraphQLFieldsContainer on = inline.getTypeCondition() == null ? parent
                            : schema.getType(inline.getTypeCondition().getName()) instanceof GraphQLFieldsContainer c ? c : null;
                    yield on == null ? inline : inline.transform(b -> b.selectionSet(selections(inline.getSelectionSet(), on)));
                }
                case FragmentSpread spread -> spread;   // its definition is rewritten once, on its own
                default -> selection;
            });
        }
        return set.transform(b -> b.selections(out));
    }

    private Field field(Field field, GraphQLFieldsContainer parent) {
        GraphQLFieldDefinition definition = parent.getFieldDefinition(field.getName());
        if (definition == null) {
            return field;
        }
        List<Argument> arguments = new ArrayList<>();
        for (Argument argument : field.getArguments()) {
            GraphQLArgument declared = definition.getArgument(argument.getName());
            if (argument.getName().equals("offset") && declared != null
                    && GraphQLTypeUtil.unwrapNonNull(declared.getType()) instanceof GraphQLScalarType scalar && scalar.getName().equals(Scalars.GraphQLInt.getName())
                    && argument.getValue() instanceof StringValue text && INTEGER.matcher(text.getValue()).matches()) {
                arguments.add(argument.transform(b -> b.value(IntValue.of(0).transform(v -> v.value(new BigInteger(text.getValue()))))));
                changed = true;
            } else {
                arguments.add(argument);
            }
        }
        GraphQLType output = GraphQLTypeUtil.unwrapAll(definition.getType());
        SelectionSet selections = output instanceof GraphQLFieldsContainer container
                ? selections(field.getSelectionSet(), container) : field.getSelectionSet();
        return field.transform(b -> b.arguments(arguments).selectionSet(selections));
    }
}
