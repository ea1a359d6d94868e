package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeName;
import io.joinery.proxy.schema.ActionModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An action's root field as a {@link RootField.Action}: the client's field (its arguments are read
 * when the handler is called), what it selects of the answer ({@link ActionSelection}), and the
 * tables joined into the answer through the relationships of custom object types, each a
 * {@link RemoteTableJoin} as a remote answer's are: ONE keyed statement for all the answer's objects,
 * within the role's permission, and everything below through the join stage.
 */
final class ActionRootPlanner implements RootPlanner {

    private final RoleAccess access;
    private final FieldCollector collector;
    private final ArgumentPlanner arguments;
    private final RowFieldPlanner rows;

    ActionRootPlanner(RoleAccess access, FieldCollector collector, ArgumentPlanner arguments, RowFieldPlanner rows) {
        this.access = access;
        this.collector = collector;
        this.arguments = arguments;
        this.rows = rows;
    }

    @Override
    public Optional<RootField> plan(String alias, List<Field> fields) {
        return plan(alias, fields, false);
    }

    /** A mutation root field, when it is an action's. */
    Optional<RootField> mutation(String alias, List<Field> fields) {
        return plan(alias, fields, true);
    }

    private Optional<RootField> plan(String alias, List<Field> fields, boolean mutation) {
        String name = fields.getFirst().getName();
        for (ActionModel action : access.actions()) {
            if (!action.name().equals(name)) {
                continue;
            }
            if (action.asynchronous()) {
                // Note [Async actions across a restart] in action.AsyncActions: the mutation answers an id, the query reads the result.
                return Optional.of(mutation
                        ? new RootField.Action(alias, action, FieldCollector.merged(fields), List.of(), List.of(), RootField.Action.Call.ENQUEUE)
                        : result(alias, action, fields));
            }
            if (action.mutation() == mutation) {
                List<RemoteTableJoin> joins = new ArrayList<>();
                List<ActionSelection> selection = selection(fields, baseName(action.output()), List.of(), joins);
                return Optional.of(new RootField.Action(alias, action, FieldCollector.merged(fields), selection, joins));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code action(id: …) { id created_at errors output { … } }}: Hasura's object of an asynchronous
     * call, named after the action; tables join into {@code output} as into a synchronous answer.
     */
    private RootField.Action result(String alias, ActionModel action, List<Field> fields) {
        List<RemoteTableJoin> joins = new ArrayList<>();
        List<ActionSelection> out = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : collector.subFields(fields, action.name()).entrySet()) {
            String key = entry.getKey();
            String name = entry.getValue().getFirst().getName();
            switch (name) {
                case "__typename" -> out.add(new ActionSelection.Typename(key, action.name()));
                case "output" -> {
                    Type<?> output = action.output() instanceof NonNullType nonNull ? nonNull.getType() : action.output();
                    out.add(new ActionSelection.Value(key, name, output,
                            selection(entry.getValue(), baseName(action.output()), List.of(key), joins)));
                }
                default -> out.add(new ActionSelection.Value(key, name, new TypeName("json"), List.of()));
            }
        }
        return new RootField.Action(alias, action, FieldCollector.merged(fields), out, joins, RootField.Action.Call.RESULT);
    }

    private List<ActionSelection> selection(List<Field> fields, String typeName, List<String> path, List<RemoteTableJoin> joins) {
        if (!(access.model().actions().types().get(typeName) instanceof ObjectTypeDefinition object)) {
            return List.of();
        }
        Map<String, RelationshipModel> relationships = access.model().actions().relationshipsOf(typeName);
        List<ActionSelection> out = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : collector.subFields(fields, typeName).entrySet()) {
            String key = entry.getKey();
            String name = entry.getValue().getFirst().getName();
            if (name.equals("__typename")) {
                out.add(new ActionSelection.Typename(key, typeName));
                continue;
            }
            RelationshipModel relationship = relationships.get(name);
            if (relationship != null) {
                out.add(join(key, relationship, entry.getValue(), path, joins));
                continue;
            }
            FieldDefinition definition = object.getFieldDefinitions().stream().filter(f -> f.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new PlanException("field '" + name + "' not found in type: '" + typeName + "'", "$." + key));
            List<String> below = new ArrayList<>(path);
            below.add(key);
            out.add(new ActionSelection.Value(key, name, definition.getType(),
                    selection(entry.getValue(), baseName(definition.getType()), below, joins)));
        }
        return out;
    }

    /** A table joined into the answer's objects at {@code path}: their key fields go under phantom aliases. */
    private ActionSelection join(String key, RelationshipModel relationship, List<Field> fields, List<String> path,
                                 List<RemoteTableJoin> joins) {
        TableModel target = access.model().table(relationship.target());
        List<String> keyFields = List.copyOf(relationship.mapping().keySet());
        List<String> keyAliases = keyFields.stream().map(field -> JoinSpec.PHANTOM_PREFIX + key + "_" + field).toList();
        Field merged = FieldCollector.merged(fields);
        Select select = relationship.array() ? arguments.select(target, merged) : arguments.objectSelect(target);
        joins.add(new RemoteTableJoin(path, key, relationship, target.source(), select, rows.fields(target, fields), keyAliases));
        return new ActionSelection.Join(key, keyFields, keyAliases);
    }

    static String baseName(Type<?> type) {
        return switch (type) {
            case NonNullType nonNull -> baseName(nonNull.getType());
            case ListType list -> baseName(list.getType());
            case TypeName name -> name.getName();
            default -> throw new IllegalArgumentException("unknown kind of type " + type);
        };
    }
}
