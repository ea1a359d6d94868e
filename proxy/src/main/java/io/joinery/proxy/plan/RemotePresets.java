package io.joinery.proxy.plan;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.VariableReference;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import io.joinery.proxy.remote.GraphqlLiterals;
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
 * values the plan is cached for); one the request lacks is {@link MissingSessionVariable}. Preset
 * fields of input objects go into every value of their type the field's arguments hold; a variable
 * holding one is written into the query with them (its value is structural: the plan is cached for it).
 */
final class RemotePresets {

    private final RoleAccess access;
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, String> session;
    private final InputValues values;

    RemotePresets(RoleAccess access, Map<String, FragmentDefinition> fragments, Map<String, String> session, InputValues values) {
        this.access = access;
        this.fragments = fragments;
        this.session = session;
        this.values = values;
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
        field.getArguments().stream().filter(a -> !presets.containsKey(a.getName())).forEach(argument -> {
            GraphQLArgument declared = definition.getArgument(argument.getName());
            arguments.add(declared == null ? argument
                    : argument.transform(b -> b.value(withInputPresets(argument.getValue(), declared.getType(), permission, full))));
        });
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

    /**
     * {@code value}, of the remote's input type {@code type}, with the preset fields of each input object in it (Note [Remote
     * schema permissions] in {@code remote.RemotePermission}); a variable that may hold one is written in as its value.
     */
    @SuppressWarnings("rawtypes")
    private Value<?> withInputPresets(Value<?> value, GraphQLInputType type, RemotePermission permission, GraphQLSchema full) {
        if (!permission.reachesInputPresets(type, full)) {
            return value;
        }
        if (value instanceof VariableReference reference) {
            Object resolved = values.resolve(reference);
            return withInputPresets(GraphqlLiterals.literal(JSON.valueToTree(resolved), type), type, permission, full);
        }
        GraphQLType unwrapped = GraphQLTypeUtil.unwrapNonNull(type);
        if (unwrapped instanceof GraphQLList list) {
            GraphQLInputType item = (GraphQLInputType) list.getWrappedType();
            if (!(value instanceof ArrayValue array)) {
                return withInputPresets(value, item, permission, full);
            }
            List<Value> items = new ArrayList<>();
            array.getValues().forEach(v -> items.add(withInputPresets(v, item, permission, full)));
            return ArrayValue.newArrayValue().values(items).build();
        }
        if (!(unwrapped instanceof GraphQLInputObjectType input) || !(value instanceof ObjectValue object)) {
            return value;
        }
        Map<String, RemotePermission.Preset> presets = permission.inputPresets(input.getName());
        List<ObjectField> fields = new ArrayList<>();
        for (ObjectField given : object.getObjectFields()) {
            GraphQLInputObjectField declared = input.getField(given.getName());
            if (presets.containsKey(given.getName())) {
                continue; // not in the role's input type: only a variable's value can carry it, and the preset wins
            }
            fields.add(declared == null ? given
                    : given.transform(b -> b.value(withInputPresets(given.getValue(), declared.getType(), permission, full))));
        }
        presets.forEach((name, preset) -> fields.add(ObjectField.newObjectField().name(name)
                .value(value(preset, GraphQLTypeUtil.unwrapAll(input.getField(name).getType()).getName())).build()));
        return ObjectValue.newObjectValue().objectFields(fields).build();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A session variable's value as a literal of the argument's scalar type (as Hasura coerces it), or the literal preset. */
    private Value<?> value(RemotePermission.Preset preset, GraphQLArgument argument) {
        return value(preset, argument == null ? null : GraphQLTypeUtil.unwrapAll(argument.getType()).getName());
    }

    private Value<?> value(RemotePermission.Preset preset, String scalar) {
        return switch (preset) {
            case RemotePermission.LiteralPreset literal -> literal.value();
            case RemotePermission.SessionPreset variable -> {
                String value = session.get(variable.name());
                if (value == null) {
                    throw new MissingSessionVariable(variable.name());
                }
                yield typed(value, scalar);
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
