package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
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
        return config.customization().typePrefix() != null || config.customization().typeSuffix() != null;
    }

    /** The remote's own name of a customized type name (unchanged when it has no prefix or suffix). */
    public static String original(RemoteSchemaConfig config, String shown) {
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
}
