package io.joinery.proxy.plan;

import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a selection set by response key, in the client's order: fragments (inline and
 * named) whose type condition is the object's type are inlined, {@code @skip} and {@code @include}
 * applied, and the fields sharing a response key kept together so their selections merge.
 */
final class FieldCollector {

    private final Map<String, FragmentDefinition> fragments;
    private final InputValues values;

    FieldCollector(Map<String, FragmentDefinition> fragments, InputValues values) {
        this.fragments = fragments;
        this.values = values;
    }

    /** The named fragments of the operation's document, by name. */
    Map<String, FragmentDefinition> fragments() {
        return fragments;
    }

    /** The fields of {@code set} on an object of type {@code typeName}, by response key. */
    Map<String, List<Field>> collect(SelectionSet set, String typeName) {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        collectInto(set, typeName, out);
        return out;
    }

    /** The merged sub-selection of all fields sharing one response key. */
    Map<String, List<Field>> subFields(List<Field> fields, String typeName) {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        for (Field field : fields) {
            collectInto(field.getSelectionSet(), typeName, out);
        }
        return out;
    }

    /** Whether {@code @skip} and {@code @include} keep what carries {@code directives}. */
    boolean included(List<Directive> directives) {
        for (Directive directive : directives) {
            if (directive.getName().equals("skip") && values.bool(directive.getArgument("if").getValue())) {
                return false;
            }
            if (directive.getName().equals("include") && !values.bool(directive.getArgument("if").getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Fields sharing a response key, as one field whose selection holds all of theirs. */
    static Field merged(List<Field> fields) {
        Field first = fields.getFirst();
        if (fields.size() == 1) {
            return first;
        }
        List<Selection> selections = new ArrayList<>();
        fields.forEach(f -> {
            if (f.getSelectionSet() != null) {
                selections.addAll(f.getSelectionSet().getSelections());
            }
        });
        return first.transform(b -> b.selectionSet(SelectionSet.newSelectionSet().selections(selections).build()));
    }

    private void collectInto(SelectionSet set, String typeName, Map<String, List<Field>> out) {
        if (set == null) {
            return;
        }
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    if (included(field.getDirectives())) {
                        out.computeIfAbsent(field.getResultKey(), k -> new ArrayList<>()).add(field);
                    }
                }
                case InlineFragment inline -> {
                    boolean applies = inline.getTypeCondition() == null || inline.getTypeCondition().getName().equals(typeName);
                    if (applies && included(inline.getDirectives())) {
                        collectInto(inline.getSelectionSet(), typeName, out);
                    }
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null && fragment.getTypeCondition().getName().equals(typeName) && included(spread.getDirectives())) {
                        collectInto(fragment.getSelectionSet(), typeName, out);
                    }
                }
                default -> throw new PlanException("unsupported selection", "$");
            }
        }
    }
}
