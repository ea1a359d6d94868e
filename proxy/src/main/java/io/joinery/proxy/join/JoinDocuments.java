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

    /**
     * One argument of a field of the remote path: a template's ({@code template}, filled per key, for
     * the {@code type} the remote declares, or null when it declares none), into which the client's
     * value of the same name is merged ({@code client}, or null); or the client's own ({@code template}
     * null).
     */
    record PathArgument(String name, JsonNode template, GraphQLInputType type, Value<?> client) {

        /** The argument's value with the template filled by {@code filler}. */
        Value<?> value(ArgumentFiller filler) {
            if (template == null) {
                return client;
            }
            Value<?> filled = filler.fill(template, type);
            return client == null ? filled : merged(filled, client);
        }
    }

    /** One field of the join's remote path, with its arguments. */
    record PathStep(String field, List<PathArgument> arguments) {
    }

    /**
     * The join's remote path as the remote declares it, outermost first: each field's template
     * arguments, and at the last field the client's arguments on the relationship's field, merged
     * into a template's input object of the same name (the template's values win) or added after
     * the template's. Note [Arguments a remote relationship leaves to the caller] in
     * {@code schema.RemoteRelationshipArguments}.
     */
    static List<PathStep> path(JoinSpec join, RemoteSchema remote) {
        List<PathStep> steps = new ArrayList<>(join.path().size());
        GraphQLFieldsContainer parent = remote.schema().getQueryType();
        for (int s = 0; s < join.path().size(); s++) {
            RemotePathStep pathStep = join.path().get(s);
            GraphQLFieldDefinition definition = parent.getFieldDefinition(pathStep.field());
            if (definition == null) {
                throw new IllegalStateException("field " + pathStep.field() + " does not exist on " + parent.getName());
            }
            List<PathArgument> arguments = new ArrayList<>();
            if (pathStep.arguments() != null) {
                pathStep.arguments().properties().forEach(e -> {
                    GraphQLArgument argument = definition.getArgument(e.getKey());
                    arguments.add(new PathArgument(e.getKey(), e.getValue(), argument == null ? null : argument.getType(), null));
                });
            }
            if (s == join.path().size() - 1) {
                for (Argument client : join.arguments()) {
                    int at = -1;
                    for (int a = 0; a < arguments.size(); a++) {
                        if (arguments.get(a).name().equals(client.getName())) {
                            at = a;
                        }
                    }
                    if (at < 0) {
                        arguments.add(new PathArgument(client.getName(), null, null, client.getValue()));
                    } else {
                        PathArgument template = arguments.get(at);
                        arguments.set(at, new PathArgument(template.name(), template.template(), template.type(), client.getValue()));
                    }
                }
            } else {
                GraphQLType type = GraphQLTypeUtil.unwrapAll(definition.getType());
                if (!(type instanceof GraphQLFieldsContainer container)) {
                    throw new IllegalStateException("field " + pathStep.field() + " has no fields to follow");
                }
                parent = container;
            }
            steps.add(new PathStep(pathStep.field(), arguments));
        }
        return steps;
    }

    /** The join's remote path as nested fields, outermost aliased {@code alias}, the innermost selecting {@code selection}. */
    static Field pathField(JoinSpec join, RemoteSchema remote, ArgumentFiller filler, SelectionSet selection, String alias) {
        List<PathStep> steps = path(join, remote);
        Field field = null;
        for (int s = steps.size() - 1; s >= 0; s--) {
            PathStep step = steps.get(s);
            List<Argument> arguments = new ArrayList<>(step.arguments().size());
            step.arguments().forEach(argument -> arguments.add(Argument.newArgument(argument.name(), argument.value(filler)).build()));
            field = Field.newField(step.field()).alias(s == 0 ? alias : null).arguments(arguments)
                    .selectionSet(field == null ? selection : SelectionSet.newSelectionSet().selection(field).build()).build();
        }
        return field;
    }
}
