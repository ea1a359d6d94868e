package io.joinery.admin.check;

import io.joinery.admin.catalog.FunctionInfo;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.metadata.ComputedField;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.policies.boolexp.BoolExpFields;
import io.joinery.policies.boolexp.TableName;

import java.util.List;
import java.util.Optional;

/**
 * The names of a table in a permission's boolean expression, as the checks know them: its columns from
 * the live catalog, its relationships and computed fields from the metadata ({@code config}, absent for
 * an untracked table). A relationship whose target is missing, or a computed field whose function does
 * not resolve, is unresolved here: its own check reports it.
 */
record FilterFields(SourceScope scope, TableInfo table, Optional<TableConfig> config) implements BoolExpFields {

    @Override
    public Kind kind(String name) {
        if (table.column(name).isPresent()) {
            return Kind.COLUMN;
        }
        if (config.map(c -> c.computedFields().containsKey(name)).orElse(false)) {
            return computedKind(name);
        }
        if (relationship(name).isPresent()) {
            return Kind.RELATIONSHIP;
        }
        return Kind.UNKNOWN;
    }

    /**
     * A computed field in a filter, as Hasura allows it: only one without arguments besides the row and the
     * session; a scalar one takes a column's operators, one returning {@code SETOF} a table an expression
     * over that table.
     */
    private Kind computedKind(String name) {
        ComputedField definition = config.orElseThrow().computedFields().get(name);
        Optional<FunctionInfo> found = function(name);
        if (found.isEmpty()) {
            return Kind.UNRESOLVED;
        }
        FunctionInfo function = found.get();
        Optional<FunctionInfo.Argument> row = ComputedFieldCheck.rowArgument(function, definition);
        boolean inputs = function.arguments().stream().anyMatch(argument -> !row.equals(Optional.of(argument))
                && (argument.name() == null || !argument.name().equals(definition.sessionArgument())));
        if (inputs) {
            return Kind.COMPUTED_WITH_ARGUMENTS;
        }
        return function.returnsSet() && function.returnsRow() ? Kind.COMPUTED_ROWS : Kind.COMPUTED_SCALAR;
    }

    /** The function of computed field {@code name}, when it resolves to exactly one. */
    Optional<FunctionInfo> function(String name) {
        ComputedField definition = config.map(c -> c.computedFields().get(name)).orElse(null);
        if (definition == null) {
            return Optional.empty();
        }
        List<FunctionInfo> found = scope.catalog().functions(definition.functionName());
        return found.size() == 1 ? Optional.of(found.getFirst()) : Optional.empty();
    }

    private Optional<Relationship> relationship(String name) {
        return config.map(c -> c.relationships().get(name));
    }

    @Override
    public Optional<FilterFields> target(String name) {
        boolean computed = config.map(c -> c.computedFields().containsKey(name)).orElse(false);
        Optional<QualifiedName> target = computed ? function(name).map(FunctionInfo::returnType) : relationship(name).map(Relationship::target);
        return target.flatMap(this::of);
    }

    @Override
    public Optional<FilterFields> table(TableName name) {
        return of(qualified(name));
    }

    private Optional<FilterFields> of(QualifiedName name) {
        return scope.table(name).map(info -> new FilterFields(scope, info, scope.tracked(name)));
    }

    static QualifiedName qualified(TableName name) {
        return new QualifiedName(name.schema(), name.name());
    }
}
