package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.GraphqlSchemaBuilder;
import io.joinery.proxy.schema.RoleAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A remote schema's root fields — queries, and mutations, the only mutations served — as
 * {@link RootField.Remote}s: the client's field as the remote receives it
 * ({@link RemoteQueryRewriter}), or a remote's namespace field ({@code profiles { profile(…) {…} }})
 * whose sub-fields are the remote's root fields, sent as one request.
 */
final class RemoteRootPlanner implements RootPlanner {

    private final RoleAccess access;
    private final FieldCollector collector;
    private final RemoteQueryRewriter rewriter;

    RemoteRootPlanner(RoleAccess access, FieldCollector collector, RemoteQueryRewriter rewriter) {
        this.access = access;
        this.collector = collector;
        this.rewriter = rewriter;
    }

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        String name = fields.getFirst().getName();
        for (RemoteSchema remote : access.remotes()) {
            String namespace = remote.config().customization().rootFieldsNamespace();
            if (namespace != null) {
                if (namespace.equals(name)) {
                    return Optional.of(namespaceRoot(alias, remote, fields, remote.schema().getQueryType(), namespace + "_query"));
                }
                continue;
            }
            if (RemoteRenames.field(remote.config(), remote.schema().getQueryType(), name) != null) {
                return Optional.of(remoteRoot(alias, remote, FieldCollector.merged(fields), remote.schema().getQueryType()));
            }
        }
        return Optional.empty();
    }

    /** A mutation root field: a remote's, or its namespace field's. */
    RootField mutation(String alias, Field field) {
        for (RemoteSchema remote : access.remotes()) {
            String namespace = remote.config().customization().rootFieldsNamespace();
            GraphQLObjectType mutationType = remote.schema().getMutationType();
            if (namespace != null && namespace.equals(field.getName()) && mutationType != null) {
                return namespaceRoot(alias, remote, List.of(field), mutationType, namespace + "_mutation");
            }
            if (namespace == null && mutationType != null && RemoteRenames.field(remote.config(), mutationType, field.getName()) != null) {
                return remoteRoot(alias, remote, field, mutationType);
            }
        }
        throw new PlanException("field '" + field.getName() + "' not found in type: '" + GraphqlSchemaBuilder.MUTATION_ROOT + "'",
                "$.selectionSet." + field.getName());
    }

    private RootField remoteRoot(String alias, RemoteSchema remote, Field shown, GraphQLObjectType rootType) {
        RemoteQueryRewriter.AnswerJoins joins = new RemoteQueryRewriter.AnswerJoins();
        Field field = ownName(remote, shown, rootType);
        GraphQLFieldDefinition definition = rootType.getFieldDefinition(field.getName());
        Field sent = rewriter.presetRoot(remote, rewriter.rewrite(remote, field, definition.getType(), List.of(), joins), rootType.getName());
        return new RootField.Remote(alias, remote.name(), sent, joins.tableJoins(), joins.remoteJoins(), false);
    }

    /**
     * A remote's namespace field ({@code profiles { profile(…) {…} }}): its sub-fields are the
     * remote's root fields, sent as one request; the answer is wrapped back under the namespace.
     */
    private RootField namespaceRoot(String alias, RemoteSchema remote, List<Field> fields, GraphQLObjectType rootType, String namespaceType) {
        RemoteQueryRewriter.AnswerJoins joins = new RemoteQueryRewriter.AnswerJoins();
        List<Selection> selections = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : collector.subFields(fields, namespaceType).entrySet()) {
            Field field = FieldCollector.merged(entry.getValue());
            if (field.getName().equals("__typename")) {
                selections.add(field);
                continue;
            }
            field = ownName(remote, field, rootType);
            GraphQLFieldDefinition definition = rootType.getFieldDefinition(field.getName());
            selections.add(rewriter.presetRoot(remote, rewriter.rewrite(remote, field, definition.getType(), List.of(field.getResultKey()), joins),
                    rootType.getName()));
        }
        Field namespace = fields.getFirst().transform(b -> b.selectionSet(SelectionSet.newSelectionSet().selections(selections).build()));
        return new RootField.Remote(alias, remote.name(), namespace, joins.tableJoins(), joins.remoteJoins(), true);
    }

    /** A root field named as the remote names it, under the client's response key (Note [Customized remote field names]). */
    private static Field ownName(RemoteSchema remote, Field shown, GraphQLObjectType rootType) {
        GraphQLFieldDefinition definition = RemoteRenames.field(remote.config(), rootType, shown.getName());
        return definition == null || definition.getName().equals(shown.getName()) ? shown
                : shown.transform(b -> b.alias(shown.getResultKey()).name(definition.getName()));
    }
}
