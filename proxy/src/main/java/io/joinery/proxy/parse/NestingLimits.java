package io.joinery.proxy.parse;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How deeply a document nests: its selections (through fragments), and its fragments' spreads of fragments. */
final class NestingLimits {

    /** How deep fragments may spread fragments; see {@link #fragmentNesting(Document)}. */
    static final int MAX_FRAGMENT_NESTING = 100;

    private NestingLimits() {
    }

    /**
     * How deep fragments spread fragments (a fragment spreading none: 0), counted only up to just past
     * {@link #MAX_FRAGMENT_NESTING}: validation and planning recurse through spreads, so a chain of
     * a thousand fragments (a few tokens each) would overflow the stack. Cycles count as nothing here;
     * validation refuses them.
     */
    static int fragmentNesting(Document document) {
        Map<String, List<String>> spreads = new HashMap<>();
        for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
            List<String> names = new ArrayList<>();
            spreadsIn(fragment.getSelectionSet(), names);
            spreads.put(fragment.getName(), names);
        }
        Map<String, Integer> heights = new HashMap<>();
        int deepest = 0;
        for (String name : spreads.keySet()) {
            deepest = Math.max(deepest, height(name, spreads, heights, new HashSet<>(), 0));
            if (deepest > MAX_FRAGMENT_NESTING) {
                break;
            }
        }
        return deepest;
    }

    private static int height(String name, Map<String, List<String>> spreads, Map<String, Integer> heights, Set<String> onPath, int level) {
        Integer known = heights.get(name);
        if (known != null || level > MAX_FRAGMENT_NESTING || !onPath.add(name)) {
            return known != null ? known : level > MAX_FRAGMENT_NESTING ? MAX_FRAGMENT_NESTING + 1 : 0;
        }
        int height = 0;
        for (String spread : spreads.getOrDefault(name, List.of())) {
            if (spreads.containsKey(spread)) {
                height = Math.max(height, 1 + height(spread, spreads, heights, onPath, level + 1));
            }
            if (level + height > MAX_FRAGMENT_NESTING) {
                return MAX_FRAGMENT_NESTING + 1;
            }
        }
        onPath.remove(name);
        heights.put(name, height);
        return height;
    }

    private static void spreadsIn(SelectionSet set, List<String> out) {
        if (set == null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> spreadsIn(field.getSelectionSet(), out);
                case InlineFragment inline -> spreadsIn(inline.getSelectionSet(), out);
                case FragmentSpread spread -> out.add(spread.getName());
                default -> {
                }
            }
        }
    }

    /** How many levels of fields a selection nests, through inline fragments and spreads (counted only up to just past 1000). */
    static int depth(SelectionSet set, Map<String, FragmentDefinition> fragments, int level) {
        if (set == null || level > 1000) {
            return level;
        }
        int max = level;
        for (Selection<?> selection : set.getSelections()) {
            int d = switch (selection) {
                case Field field -> field.getSelectionSet() == null ? level + 1 : depth(field.getSelectionSet(), fragments, level + 1);
                case InlineFragment inline -> depth(inline.getSelectionSet(), fragments, level);
                case FragmentSpread spread -> fragments.containsKey(spread.getName())
                        ? depth(fragments.get(spread.getName()).getSelectionSet(), fragments, level) : level;
                default -> level;
            };
            max = Math.max(max, d);
        }
        return max;
    }
}
