package io.joinery.proxy.plan;

import graphql.language.Field;
import graphql.language.VariableDefinition;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.RemoteRelationshipModel;
import io.joinery.proxy.schema.RoleAccess;
import io.joinery.proxy.schema.TableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The selection on a table's rows as {@link RowField}s, in the client's order under the client's
 * aliases: columns, relationships (a table of another source is a {@link RowField.SourceJoin}),
 * {@code <rel>_aggregate}, computed fields, and remote relationships, whose selection goes to the
 * {@link RemoteQueryRewriter}.
 */
final class RowFieldPlanner {

    private final RoleAccess access;
    private final FieldCollector collector;
    private final ArgumentPlanner arguments;
    private final InputLimits limits;
    private final AggregatePlanner aggregates;
    private final RemoteQueryRewriter remoteQueries;

    RowFieldPlanner(RoleAccess access, FieldCollector collector, InputValues values, ArgumentPlanner arguments, InputLimits limits,
                    List<VariableDefinition> variableDefinitions, RemotePresets presets) {
        this.access = access;
        this.collector = collector;
        this.arguments = arguments;
        this.limits = limits;
        // Both come back here for row fields (an aggregate's nodes, a table joined into a remote answer).
        this.aggregates = new AggregatePlanner(collector, values, arguments, this);
        this.remoteQueries = new RemoteQueryRewriter(access, collector, arguments, this, variableDefinitions, presets);
    }

    /** The rewriter of the queries to remote schemas, which plans the tables joined into their answers with this. */
    RemoteQueryRewriter remoteQueries() {
        return remoteQueries;
    }

    /** The fields selected on {@code table}'s rows by all of {@code parents} (fields sharing one response key). */
    List<RowField> fields(TableModel table, List<Field> parents) {
        List<RowField> out = new ArrayList<>();
        for (Map.Entry<String, List<Field>> entry : collector.subFields(parents, table.typeName()).entrySet()) {
            out.add(limits.inField(entry.getKey(), () -> field(table, entry.getKey(), entry.getValue())));
        }
        return out;
    }

    /** The selection of a {@code <table>_aggregate} object on {@code table}'s rows. */
    List<AggregatePart> aggregateParts(TableModel table, List<Field> parents) {
        return aggregates.parts(table, parents);
    }

    private RowField field(TableModel table, String alias, List<Field> fields) {
        Field field = fields.getFirst();
        String name = field.getName();
        if (name.equals("__typename")) {
            return new RowField.Typename(alias, table.typeName());
        }
        for (ColumnModel column : access.columns(table)) {
            if (column.graphqlName().equals(name)) {
                return new RowField.Column(alias, column, column.kind().json() ? arguments.jsonPath(field) : null);
            }
        }
        for (RelationshipModel relationship : access.relationships(table)) {
            TableModel target = access.model().table(relationship.target());
            if (relationship.name().equals(name) && !target.source().equals(table.source())) {
                return new RowField.SourceJoin(alias, sourceJoin(relationship, target, field, fields));
            }
            if (relationship.name().equals(name)) {
                return relationship.array()
                        ? new RowField.ArrayRelation(alias, relationship, arguments.select(target, field), fields(target, fields))
                        : new RowField.ObjectRelation(alias, relationship, arguments.objectSelect(target), fields(target, fields));
            }
            if (relationship.array() && (relationship.name() + "_aggregate").equals(name)) {
                return new RowField.ArrayAggregate(alias, relationship, arguments.select(target, field), aggregates.parts(target, fields));
            }
        }
        for (ComputedFieldModel computed : access.computedFields(table)) {
            if (computed.name().equals(name)) {
                return computedField(alias, computed, field, fields);
            }
        }
        for (RemoteRelationshipModel remote : access.remoteRelationships(table)) {
            if (remote.name().equals(name)) {
                return remoteQueries.remoteRelationship(alias, remote, fields, table);
            }
        }
        throw new PlanException("field '" + name + "' not found in type: '" + table.typeName() + "'", "$.selectionSet." + name);
    }

    /** A computed field: its {@code args} by argument name; for one returning rows, the select of its target table. */
    private RowField computedField(String alias, ComputedFieldModel computed, Field field, List<Field> fields) {
        Map<String, PlanValue> args = arguments.functionArguments(computed, field);
        if (!computed.returnsRows()) {
            return new RowField.Computed(alias, computed, args);
        }
        TableModel target = access.model().table(computed.target());
        return new RowField.ComputedRows(alias, computed, args, arguments.select(target, field), fields(target, fields));
    }

    /**
     * A relationship to a table of another source: keyed by this row's columns (see Note [Phantom
     * join keys] in {@link JoinSpec}), run on the other database.
     */
    private RemoteTableJoin sourceJoin(RelationshipModel relationship, TableModel target, Field field, List<Field> fields) {
        List<String> keyAliases = relationship.mapping().keySet().stream()
                .map(column -> JoinSpec.PHANTOM_PREFIX + field.getResultKey() + "_" + column).toList();
        Select select = relationship.array() ? arguments.select(target, field) : arguments.objectSelect(target);
        return new RemoteTableJoin(List.of(), field.getResultKey(), relationship, target.source(), select, fields(target, fields), keyAliases);
    }
}
