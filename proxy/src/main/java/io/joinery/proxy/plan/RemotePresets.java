package io.joinery.proxy.plan;

import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.joinery.proxy.remote.RemotePermission;
import io.joinery.proxy.remote.RemoteSchema;
import io.joinery.proxy.schema.RoleAccess;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds a role's preset arguments (Note [Remote schema permissions] in {@code remote.RemotePermission})
 * to the fields it sends a remote: on the field and everywhere in its selection, named fragments
 * inlined so each place has its type. A session variable's value comes from {@code session} (the
 * values the plan is cached for); one the request lacks is {@link MissingSessionVariable}.
 */
final class RemotePresets {

    private final RoleAccess access;
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, String> session;

    RemotePresets(RoleAccess access, Map<String, FragmentDefinition> fragments, Map<String, String> session) {
        this.access = access;
        this.fragments = fragments;
        this.session = session;
    }

    /** {@code field}, a root field of the remote's {@code rootType} (its own name), with the role's presets on its own arguments. */
    Field applyRoot(RemoteSchema remote, Field field, String rootType) {
        Optional<RemotePermission> permission = access.remotePermission(remote.name());
        if (permission.isEmpty() || !permission.get().hasPresets()) {
            return field;
        }
        GraphQLSchema full = access.model().remotes().get(remote.name()).schema();
        return field(field, full.getType(rootType), permission.get(), full, remote, false);
    }

    /** The selection of {@code field}, whose type is {@code type}, with the role's presets (not on {@code field} itself). */
    Field applyBelow(RemoteSchema remote, Field field, GraphQLType type) {
        Optional<RemotePermission> permission = access.remotePermission(remote.name());
        if (permission.isEmpty() || !permission.get().hasPresets() || field.getSelectionSet() == null) {
            return field;
        }
        GraphQLSchema full = access.model().remotes().get(remote.name()).schema();
        GraphQLType own = full.getType(GraphQLTypeUtil.unwrapAll(type).getName());
        SelectionSet set = selection(field.getSelectionSet(), own, permission.get(), full, remote);
        return field.transform(b -> b.selectionSet(set));
    }

    private Field field(Field field, GraphQLType parent, RemotePermission permission, GraphQLSchema full, RemoteSchema remote, boolean deep) {
        if (!(parent instanceof GraphQLFieldsContainer container) || container.getFieldDefinition(field.getName()) == null) {
            return field;
        }
        GraphQLFieldDefinition definition = container.getFieldDefinition(field.getName());
        Map<String, RemotePermission.Preset> presets = permission.presets(container.getName(), field.getName());
        List<Argument> arguments = new ArrayList<>();
        field.getArguments().stream().filter(a -> !presets.containsKey(a.getName())).forEach(arguments::add);
        presets.forEach((name, preset) -> arguments.add(Argument.newArgument(name, value(preset, definition.getArgument(name))).build()));
        SelectionSet set = field.getSelectionSet() == null || !deep ? field.getSelectionSet()
                : selection(field.getSelectionSet(), GraphQLTypeUtil.unwrapAll(definition.getType()), permission, full, remote);
        return field.transform(b -> b.arguments(arguments).selectionSet(set));
    }

    @SuppressWarnings("rawtypes")
    private SelectionSet selection(SelectionSet set, GraphQLType type, RemotePermission permission, GraphQLSchema full, RemoteSchema remote) {
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> out.add(field(field, type, permission, full, remote, true));
                case InlineFragment inline -> {
                    GraphQLType inner = inline.getTypeCondition() == null ? type
                            : full.getType(RemoteRenames.original(remote.config(), inline.getTypeCondition().getName()));
                    out.add(inline.transform(b -> b.selectionSet(selection(inline.getSelectionSet(), inner, permission, full, remote))));
                }
                case FragmentSpread spread -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    GraphQLType inner = full.getType(RemoteRenames.original(remote.config(), fragment.getTypeCondition().getName()));
                    out.add(InlineFragment.newInlineFragment().typeCondition(fragment.getTypeCondition()).directives(spread.getDirectives())
                            .selectionSet(selection(fragment.getSelectionSet(), inner, permission, full, remote)).build());
                }
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet().selections(out).build();
    }

    /** A session variable's value as a literal of the argument's scalar type (as Hasura coerces it), or the literal preset. */
    private Value<?> value(RemotePermission.Preset preset, GraphQLArgument argument) {
        return switch (preset) {
            case RemotePermission.LiteralPreset literal -> literal.value();
            case RemotePermission.SessionPreset variable -> {
                String value = session.get(variable.name());
                if (value == null) {
                    throw new MissingSessionVariable(variable.name());
                }
                yield typed(value, argument == null ? null : GraphQLTypeUtil.unwrapAll(argument.getType()).getName());
            }
        };
    }

    private static Value<?> typed(String value, String scalar) {
        try {
            return switch (scalar == null ? "" : scalar) {
                case "Int" -> new IntValue(new BigInteger(value.trim()));
                case "Float" -> new FloatValue(new BigDecimal(value.trim()));
                case "Boolean" -> new BooleanValue(Boolean.parseBoolean(value.trim()));
                default -> new StringValue(value);
            };
        } catch (NumberFormatException e) {
            throw new PlanException("the session variable's value '" + value + "' is not a " + scalar, "$");
        }
    }
}
