package io.joinery.proxy.remote;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Value;

import graphql.language.VariableReference;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a piece of a client's document depends on: the fragments it spreads and the variables it reads. */
@SuppressWarnings("rawtypes")
public final class GraphqlDocuments {

    private GraphqlDocuments() {
    }

    /** Fragment names used by {@code selections}, transitively, in first-use order. */
    public static Set<String> fragments(List<Selection> selections, Map<String, FragmentDefinition> definitions) {
        Set<String> used = new LinkedHashSet<>();
        collectFragments(selections, definitions, used);
        return used;
    }

    private static void collectFragments(List<Selection> selections, Map<String, FragmentDefinition> definitions, Set<String> used) {
        for (Selection selection : selections) {
            switch (selection) {
                case graphql.language.Field field -> {
                    if (field.getSelectionSet() != null) {
                        collectFragments(field.getSelectionSet().getSelections(), definitions, used);
                    }
                }
                case InlineFragment inline -> collectFragments(inline.getSelectionSet().getSelections(), definitions, used);
                case FragmentSpread spread -> {
                    FragmentDefinition definition = definitions.get(spread.getName());
                    if (definition != null && used.add(spread.getName())) {
                        collectFragments(definition.getSelectionSet().getSelections(), definitions, used);
                    }
                }
                default -> {
                }
            }
        }
    }

    /** Variable names read by {@code selections} and the given fragments (arguments and directives). */
    public static Set<String> variables(List<Selection> selections, Map<String, FragmentDefinition> definitions, Set<String> fragments) {
        Set<String> used = new LinkedHashSet<>();
        collectVariables(selections, used);
        for (String name : fragments) {
            FragmentDefinition definition = definitions.get(name);
            collectDirectives(definition.getDirectives(), used);
            collectVariables(definition.getSelectionSet().getSelections(), used);
        }
        return used;
    }

    private static void collectVariables(List<Selection> selections, Set<String> used) {
        for (Selection selection : selections) {
            switch (selection) {
                case graphql.language.Field field -> {
                    for (Argument argument : field.getArguments()) {
                        collectValue(argument.getValue(), used);
                    }
                    collectDirectives(field.getDirectives(), used);
                    if (field.getSelectionSet() != null) {
                        collectVariables(field.getSelectionSet().getSelections(), used);
                    }
                }
                case InlineFragment inline -> {
                    collectDirectives(inline.getDirectives(), used);
                    collectVariables(inline.getSelectionSet().getSelections(), used);
                }
                case FragmentSpread spread -> collectDirectives(spread.getDirectives(), used);
                default -> {
                }
            }
        }
    }

    private static void collectDirectives(List<Directive> directives, Set<String> used) {
        for (Directive directive : directives) {
            for (Argument argument : directive.getArguments()) {
                collectValue(argument.getValue(), used);
            }
        }
    }

    private static void collectValue(Value<?> value, Set<String> used) {
        switch (value) {
            case VariableReference reference -> used.add(reference.getName());
            case ArrayValue array -> array.getValues().forEach(v -> collectValue(v, used));
            case ObjectValue object -> {
                for (ObjectField field : object.getObjectFields()) {
                    collectValue(field.getValue(), used);
                }
            }
            default -> {
            }
        }
    }

    public static List<Selection> selections(SelectionSet set) {
        return set == null ? List.of() : set.getSelections();
    }
}
