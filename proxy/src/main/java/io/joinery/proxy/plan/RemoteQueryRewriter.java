package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RemoteRelationshipModel;
import io.joinery.proxy.schema.RemoteTypeRelationship;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query a remote schema receives for one of its fields: the client's selection, in the
 * remote's own type names (Note [Customized remote type names] in {@link RemoteRenames}), with the
 * relationship fields of its types taken out — to tables ({@code Profile.author}, a
 * {@link RemoteTableJoin}) and to remote schemas ({@code Profile.account}, a
 * {@link RemoteSchemaJoin}) — and their key fields selected under phantom aliases instead (Note
 * [Phantom join keys] in {@link JoinSpec}). Fragment spreads around them are inlined; abstract
 * types pass as they are.
 */
final class RemoteQueryRewriter {

    private final RoleAccess access;
    private final FieldCollector collector;
    private final ArgumentPlanner arguments;
    private final RowFieldPlanner rows;
    private final List<VariableDefinition> variableDefinitions;
    private final RemotePresets presets;

    RemoteQueryRewriter(RoleAccess access, FieldCollector collector, ArgumentPlanner arguments, RowFieldPlanner rows,
                        List<VariableDefinition> variableDefinitions, RemotePresets presets) {
        this.access = access;
        this.presets = presets;
        this.collector = collector;
        this.arguments = arguments;
        this.rows = rows;
        this.variableDefinitions = variableDefinitions;
    }

    /**
     * The tables and remote schemas joined into one remote field's answer, found while its
     * selection is rewritten; a relationship to a remote schema selected more than once at the same
     * place (through fragments, say) is one join of all its selections.
     */
    static final class AnswerJoins {
        private final List<RemoteTableJoin> tables = new ArrayList<>();
        private final Map<List<String>, RemoteSchemaJoin> remotes = new LinkedHashMap<>();
        private final Map<List<String>, List<Field>> remoteFields = new LinkedHashMap<>();

        List<RemoteTableJoin> tableJoins() {
            return tables;
        }

        List<RemoteSchemaJoin> remoteJoins() {
            return List.copyOf(remotes.values());
        }
    }

    /**
     * {@code field} of type {@code type} as {@code remote} receives it, at {@code path} (response
     * keys below the remote root field); the joins into its answer go to {@code joins}.
     */
    Field rewrite(RemoteSchema remote, Field field, GraphQLOutputType type, List<String> path, AnswerJoins joins) {
        // Note [Customized remote field names]: the remote's own names from here on
        Field own = field.getSelectionSet() == null ? field : field.transform(b -> b.selectionSet(
                RemoteRenames.fieldsToRemote(field.getSelectionSet(), type, remote.schema(), collector.fragments(), remote.config())));
        return toRemote(remote, presets.applyBelow(remote, rewriteField(own, type, remote, path, joins), type));
    }

    /** The role's presets on the arguments of {@code field}, a root field of the remote's {@code rootType}. */
    Field presetRoot(RemoteSchema remote, Field field, String rootType) {
        return presets.applyRoot(remote, field, rootType);
    }

    /** A remote relationship of a table's rows: the selection under it, for its remote, and the joins into its answer. */
    RowField.RemoteJoin remoteRelationship(String alias, RemoteRelationshipModel remote, List<Field> fields, TableModel table) {
        RemoteSchema remoteSchema = access.model().remotes().get(remote.remote());
        AnswerJoins joins = new AnswerJoins();
        Field merged = FieldCollector.merged(fields);
        Field rewritten = rewrite(remoteSchema, merged, remote.type(), List.of(), joins);
        return new RowField.RemoteJoin(alias, new JoinSpec(alias, remote.remote(), remote.keyColumns(), remote.path(),
                rewritten.getSelectionSet(), collector.fragments(), variableDefinitions, merged.getArguments(), remote.name(),
                computedKeys(remote, table)), joins.tables, joins.remoteJoins());
    }

    /** The keys of {@code remote} that are computed fields of {@code table}, not columns (Hasura's {@code hasura_fields}). */
    private static Map<String, ComputedFieldModel> computedKeys(RemoteRelationshipModel remote, TableModel table) {
        Map<String, ComputedFieldModel> keys = new java.util.HashMap<>();
        for (String key : remote.keyColumns()) {
            if (table.column(key).isEmpty() && table.computedFields().containsKey(key)) {
                keys.put(key, table.computedFields().get(key));
            }
        }
        return keys;
    }

    /** The remote's names in what is sent to it; see Note [Customized remote type names] in {@link RemoteRenames}. */
    private Field toRemote(RemoteSchema remote, Field field) {
        if (!RemoteRenames.renames(remote.config()) || field.getSelectionSet() == null) {
            return field;
        }
        return field.transform(b -> b.selectionSet(RemoteRenames.toRemote(field.getSelectionSet(), collector.fragments(), remote.config())));
    }

    private Field rewriteField(Field field, GraphQLOutputType type, RemoteSchema remote, List<String> path, AnswerJoins joins) {
        if (field.getSelectionSet() == null || !access.model().hasTypeRelationships(remote.name())
                || !(GraphQLTypeUtil.unwrapAll(type) instanceof GraphQLObjectType object)) {
            return field;
        }
        SelectionSet set = rewriteSet(field.getSelectionSet(), object, remote, path, joins);
        return field.transform(b -> b.selectionSet(set));
    }

    @SuppressWarnings("rawtypes")
    private SelectionSet rewriteSet(SelectionSet set, GraphQLObjectType type, RemoteSchema remote, List<String> path, AnswerJoins joins) {
        Map<String, RemoteTypeRelationship> relationships = new LinkedHashMap<>();
        for (var relationship : access.model().relationshipsOf(remote.name(), type.getName())) {
            if (access.visible(access.model().table(relationship.relationship().target()))
                    && access.seesFields(remote.name(), type.getName(), relationship.relationship().mapping().keySet())) {
                relationships.put(relationship.relationship().name(), relationship);
            }
        }
        Map<String, RemoteRelationshipModel> remoteRelationships = new LinkedHashMap<>();
        for (var relationship : access.model().remoteRelationshipsOf(remote.name(), type.getName())) {
            if (access.reaches(relationship.relationship())
                    && access.seesFields(remote.name(), type.getName(), relationship.relationship().keyColumns())) {
                remoteRelationships.put(relationship.relationship().name(), relationship.relationship());
            }
        }
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    var relationship = relationships.get(field.getName());
                    if (relationship != null) {
                        if (collector.included(field.getDirectives())) {
                            joins.tables.add(tableJoin(field, relationship.relationship(), path, out));
                        }
                        continue;
                    }
                    RemoteRelationshipModel remoteRelationship = remoteRelationships.get(field.getName());
                    if (remoteRelationship != null) {
                        if (collector.included(field.getDirectives())) {
                            remoteSchemaJoin(field, remoteRelationship, path, joins, out);
                        }
                        continue;
                    }
                    GraphQLFieldDefinition definition = type.getFieldDefinition(field.getName());
                    if (definition == null) {
                        out.add(field);
                        continue;
                    }
                    List<String> child = new ArrayList<>(path);
                    child.add(field.getResultKey());
                    out.add(rewriteField(field, definition.getType(), remote, child, joins));
                }
                case InlineFragment inline -> {
                    boolean applies = inline.getTypeCondition() == null
                            || RemoteRenames.original(remote.config(), inline.getTypeCondition().getName()).equals(type.getName());
                    out.add(applies ? inline.transform(b -> b.selectionSet(rewriteSet(inline.getSelectionSet(), type, remote, path, joins))) : inline);
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = collector.fragments().get(spread.getName());
                    if (fragment != null && RemoteRenames.original(remote.config(), fragment.getTypeCondition().getName()).equals(type.getName())) {
                        out.add(InlineFragment.newInlineFragment().typeCondition(fragment.getTypeCondition())
                                .directives(spread.getDirectives())
                                .selectionSet(rewriteSet(fragment.getSelectionSet(), type, remote, path, joins)).build());
                    } else {
                        out.add(spread);
                    }
                }
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet().selections(out).build();
    }

    /**
     * A remote schema joined into a remote answer at {@code path}: its key fields go into the
     * parent's selection under phantom aliases (once per place), its own selection is rewritten
     * for the target remote, joins into its answer included. A second selection of the same
     * response key at the same place merges into the first's join.
     */
    @SuppressWarnings("rawtypes")
    private void remoteSchemaJoin(Field field, RemoteRelationshipModel relationship, List<String> path, AnswerJoins joins,
                                  List<Selection> out) {
        String alias = field.getResultKey();
        List<String> place = new ArrayList<>(path);
        place.add(alias);
        List<Field> fields = joins.remoteFields.computeIfAbsent(List.copyOf(place), p -> new ArrayList<>());
        fields.add(field);
        List<String> keyAliases = relationship.keyColumns().stream().map(key -> JoinSpec.PHANTOM_PREFIX + alias + "_" + key).toList();
        if (fields.size() == 1) {
            for (int i = 0; i < keyAliases.size(); i++) {
                out.add(Field.newField(relationship.keyColumns().get(i)).alias(keyAliases.get(i)).build());
            }
        }
        RemoteSchema target = access.model().remotes().get(relationship.remote());
        AnswerJoins inner = new AnswerJoins();
        Field rewritten = rewrite(target, FieldCollector.merged(fields), relationship.type(), List.of(), inner);
        RowField.RemoteJoin join = new RowField.RemoteJoin(alias, new JoinSpec(alias, target.name(), relationship.keyColumns(),
                relationship.path(), rewritten.getSelectionSet(), collector.fragments(), variableDefinitions, relationship.name()), inner.tables, inner.remoteJoins());
        joins.remotes.put(List.copyOf(place), new RemoteSchemaJoin(path, join, keyAliases));
    }

    /** A table joined into a remote answer: its key fields go into the parent's selection under phantom aliases. */
    @SuppressWarnings("rawtypes")
    private RemoteTableJoin tableJoin(Field field, RelationshipModel relationship, List<String> path, List<Selection> out) {
        TableModel target = access.model().table(relationship.target());
        String alias = field.getResultKey();
        List<String> keyAliases = new ArrayList<>();
        for (String remoteField : relationship.mapping().keySet()) {
            String key = JoinSpec.PHANTOM_PREFIX + alias + "_" + remoteField;
            keyAliases.add(key);
            out.add(Field.newField(remoteField).alias(key).build());
        }
        Select select = relationship.array() ? arguments.select(target, field) : arguments.objectSelect(target);
        return new RemoteTableJoin(path, alias, relationship, target.source(), select, rows.fields(target, List.of(field)), keyAliases);
    }
}
