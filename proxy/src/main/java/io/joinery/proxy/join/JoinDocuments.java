package io.joinery.proxy.join;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.RemotePathStep;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The request documents of remote joins, shared by the three {@link RemoteForm}s: the join's remote
 * path as nested fields with their arguments filled, and the one query around them with the client's
 * variable definitions and fragments that the selection uses.
 */
final class JoinDocuments {

    private JoinDocuments() {
    }

    /**
     * The request document: one query named {@code name} with the given selections, the client's
     * variable definitions it uses after {@code extraDefinitions}, and the client's fragments it uses.
     */
    @SuppressWarnings("rawtypes")
    static String document(JoinSpec join, String name, List<VariableDefinition> extraDefinitions, List<Selection> fields,
                           Set<String> fragmentNames, Set<String> variableNames) {
        return document(join, name, extraDefinitions, fields, fragmentNames, variableNames, List.of());
    }

    /** The same, with fragments of Joinery's own after the client's. */
    @SuppressWarnings("rawtypes")
    static String document(JoinSpec join, String name, List<VariableDefinition> extraDefinitions, List<Selection> fields,
                           Set<String> fragmentNames, Set<String> variableNames, List<FragmentDefinition> ownFragments) {
        List<VariableDefinition> definitions = new ArrayList<>(extraDefinitions);
        join.variableDefinitions().stream().filter(d -> variableNames.contains(d.getName())).forEach(definitions::add);
        OperationDefinition operation = OperationDefinition.newOperationDefinition()
                .operation(OperationDefinition.Operation.QUERY)
                .name(name)
                .variableDefinitions(definitions)
                .selectionSet(SelectionSet.newSelectionSet().selections(fields).build())
                .build();
        List<Definition> definitionsOut = new ArrayList<>();
        definitionsOut.add(operation);
        fragmentNames.forEach(fragment -> definitionsOut.add(join.fragments().get(fragment)));
        definitionsOut.addAll(ownFragments);
        return AstPrinter.printAstCompact(Document.newDocument().definitions(definitionsOut).build());
    }

    /**
     * The client's arguments on the relationship's field merged into the template's: an argument the template
     * does not set is added, input objects are merged field by field, the template's values win.
     * Note [Arguments a remote relationship leaves to the caller] in {@code schema.RemoteRelationshipArguments}.
     */
    private static void clientArguments(List<Argument> arguments, List<Argument> client) {
        for (Argument argument : client) {
            int at = -1;
            for (int i = 0; i < arguments.size(); i++) {
                if (arguments.get(i).getName().equals(argument.getName())) {
                    at = i;
                }
            }
            if (at < 0) {
                arguments.add(argument);
            } else {
                arguments.set(at, Argument.newArgument(argument.getName(), merged(arguments.get(at).getValue(), argument.getValue())).build());
            }
        }
    }

    @SuppressWarnings("rawtypes")
    static Value<?> merged(Value<?> template, Value<?> client) {
        if (!(template instanceof ObjectValue set) || !(client instanceof ObjectValue given)) {
            return template;
        }
        List<ObjectField> fields = new ArrayList<>(set.getObjectFields());
        for (ObjectField field : given.getObjectFields()) {
            ObjectField own = set.getObjectFields().stream().filter(f -> f.getName().equals(field.getName())).findFirst().orElse(null);
            if (own == null) {
                fields.add(field);
            } else {
                fields.set(fields.indexOf(own), new ObjectField(own.getName(), merged(own.getValue(), field.getValue())));
            }
        }
        return ObjectValue.newObjectValue().objectFields(fields).build();
    }

    /** Fills one argument template for the type the remote declares (null when it declares none). */
    @FunctionalInterface
    interface ArgumentFiller {
        Value<?> fill(JsonNode template, GraphQLInputType type);
    }

    /** The named type of the innermost field of the join's remote path (what its selection selects from). */
    static GraphQLNamedType innermostType(JoinSpec join, RemoteSchema remote) {
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        GraphQLType type = parent;
        for (RemotePathStep step : join.path()) {
            if (!(type instanceof GraphQLFieldsContainer container) || container.getFieldDefinition(step.field()) == null) {
                throw new IllegalStateException("field " + step.field() + " does not exist on " + GraphQLTypeUtil.simplePrint(type));
            }
            type = GraphQLTypeUtil.unwrapAll(container.getFieldDefinition(step.field()).getType());
        }
        return (GraphQLNamedType) type;
    }

    /** The join's remote path as nested fields, outermost aliased {@code alias}, the innermost selecting {@code selection}. */
    static Field pathField(JoinSpec join, RemoteSchema remote, ArgumentFiller filler, SelectionSet selection, String alias) {
        return pathField(join, 0, remote.schema().getQueryType(), filler, selection, alias);
    }

    private static Field pathField(JoinSpec join, int step, GraphQLFieldsContainer parent, ArgumentFiller filler,
                                   SelectionSet innermost, String alias) {
        RemotePathStep pathStep = join.path().get(step);
        GraphQLFieldDefinition definition = parent.getFieldDefinition(pathStep.field());
        if (definition == null) {
            throw new IllegalStateException("field " + pathStep.field() + " does not exist on " + parent.getName());
        }
        List<Argument> arguments = new ArrayList<>();
        if (pathStep.arguments() != null) {
            pathStep.arguments().properties().forEach(e -> {
                GraphQLArgument argument = definition.getArgument(e.getKey());
                arguments.add(Argument.newArgument(e.getKey(), filler.fill(e.getValue(), argument == null ? null : argument.getType())).build());
            });
        }
        if (step == join.path().size() - 1) {
            clientArguments(arguments, join.arguments());
        }
        SelectionSet selection;
        if (step + 1 < join.path().size()) {
            GraphQLType type = GraphQLTypeUtil.unwrapAll(definition.getType());
            if (!(type instanceof GraphQLFieldsContainer container)) {
                throw new IllegalStateException("field " + pathStep.field() + " has no fields to follow");
            }
            selection = SelectionSet.newSelectionSet().selection(pathField(join, step + 1, container, filler, innermost, null)).build();
        } else {
            selection = innermost;
        }
        return Field.newField(pathStep.field()).alias(alias).arguments(arguments).selectionSet(selection).build();
    }
}
