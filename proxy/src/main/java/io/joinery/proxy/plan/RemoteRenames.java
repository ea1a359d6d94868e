package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.admin.metadata.RemoteSchemaConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Note [Customized remote type names]: a remote with a type prefix or suffix is shown with renamed
 * types. What goes to the remote must use its own names, so fragments are inlined with their type
 * conditions renamed back; and {@code __typename} fields are sent under the alias
 * {@link #TYPENAME_ALIAS}{@code <alias>} so the answer's values can be renamed forward (see
 * RemoteStage).
 */
public final class RemoteRenames {

    public static final String TYPENAME_ALIAS = "__joinery_typename_";

    private RemoteRenames() {
    }

    public static boolean renames(RemoteSchemaConfig config) {
        return config.customization().renamesTypes();
    }

    /** The remote's own name of a customized type name (unchanged when it has no prefix or suffix). */
    public static String original(RemoteSchemaConfig config, String shown) {
        for (Map.Entry<String, String> mapped : config.customization().typeMapping().entrySet()) {
            if (mapped.getValue().equals(shown)) {
                return mapped.getKey();
            }
        }
        String prefix = config.customization().typePrefix() == null ? "" : config.customization().typePrefix();
        String suffix = config.customization().typeSuffix() == null ? "" : config.customization().typeSuffix();
        if (shown.startsWith(prefix) && shown.endsWith(suffix) && shown.length() > prefix.length() + suffix.length()) {
            return shown.substring(prefix.length(), shown.length() - suffix.length());
        }
        return shown;
    }

    @SuppressWarnings("rawtypes")
    static SelectionSet toRemote(SelectionSet set, Map<String, FragmentDefinition> fragments, RemoteSchemaConfig config) {
        if (set == null) {
            return null;
        }
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field when field.getName().equals("__typename") ->
                        out.add(field.transform(b -> b.alias(TYPENAME_ALIAS + field.getResultKey())));
                case Field field -> out.add(field.getSelectionSet() == null ? field
                        : field.transform(b -> b.selectionSet(toRemote(field.getSelectionSet(), fragments, config))));
                case InlineFragment inline -> out.add(inline.transform(b -> b
                        .typeCondition(inline.getTypeCondition() == null ? null
                                : TypeName.newTypeName(original(config, inline.getTypeCondition().getName())).build())
                        .selectionSet(toRemote(inline.getSelectionSet(), fragments, config))));
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    out.add(InlineFragment.newInlineFragment()
                            .typeCondition(TypeName.newTypeName(original(config, fragment.getTypeCondition().getName())).build())
                            .directives(spread.getDirectives())
                            .selectionSet(toRemote(fragment.getSelectionSet(), fragments, config)).build());
                }
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet().selections(out).build();
    }

    /*
     * Note [Customized remote field names]: a remote whose field names are customized (Hasura's
     * field_names: per type of the remote, a mapping, else a prefix and suffix) shows them renamed.
     * Before anything else looks at a selection for that remote (joins into its answer, presets,
     * type renames), its fields are named back to the remote's own, each under the client's
     * response key as its alias, so the answer comes back under the names the client asked for.
     * Fragment spreads are inlined on the way, as each may sit under several types. A field the
     * remote's type does not have (a relationship joined to a table, __typename) is left as it is.
     */

    /** The field of {@code parent} (the remote's own type) shown as {@code shown}, or null. */
    public static GraphQLFieldDefinition field(RemoteSchemaConfig config, GraphQLFieldsContainer parent, String shown) {
        if (config.customization().fieldNames().isEmpty()) {
            return parent.getFieldDefinition(shown);
        }
        for (GraphQLFieldDefinition field : parent.getFieldDefinitions()) {
            if (config.customization().fieldName(parent.getName(), field.getName()).equals(shown)) {
                return field;
            }
        }
        return null;
    }

    /** {@code field} named as the remote names it, under the client's response key; see Note [Customized remote field names]. */
    static Field fieldToRemote(Field field, GraphQLFieldsContainer parent, GraphQLSchema remote, Map<String, FragmentDefinition> fragments,
                               RemoteSchemaConfig config) {
        GraphQLFieldDefinition definition = field(config, parent, field.getName());
        if (definition == null) {
            return field;
        }
        SelectionSet below = fieldsToRemote(field.getSelectionSet(), definition.getType(), remote, fragments, config);
        return field.transform(b -> {
            if (!definition.getName().equals(field.getName())) {
                b.alias(field.getResultKey()).name(definition.getName());
            }
            b.selectionSet(below);
        });
    }

    /** The selection {@code set} under a value of type {@code type} (the remote's own), its fields named as the remote names them. */
    @SuppressWarnings("rawtypes")
    static SelectionSet fieldsToRemote(SelectionSet set, GraphQLType type, GraphQLSchema remote, Map<String, FragmentDefinition> fragments,
                                       RemoteSchemaConfig config) {
        if (set == null || config.customization().fieldNames().isEmpty()) {
            return set;
        }
        GraphQLType parent = GraphQLTypeUtil.unwrapAll(type);
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> out.add(parent instanceof GraphQLFieldsContainer container
                        ? fieldToRemote(field, container, remote, fragments, config) : field);
                case InlineFragment inline -> {
                    GraphQLType on = inline.getTypeCondition() == null ? parent
                            : remote.getType(original(config, inline.getTypeCondition().getName()));
                    out.add(inline.transform(b -> b.selectionSet(on == null ? inline.getSelectionSet()
                            : fieldsToRemote(inline.getSelectionSet(), on, remote, fragments, config))));
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    GraphQLType on = remote.getType(original(config, fragment.getTypeCondition().getName()));
                    out.add(InlineFragment.newInlineFragment().typeCondition(fragment.getTypeCondition()).directives(spread.getDirectives())
                            .selectionSet(on == null ? fragment.getSelectionSet() : fieldsToRemote(fragment.getSelectionSet(), on, remote, fragments, config))
                            .build());
                }
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet().selections(out).build();
    }
}
