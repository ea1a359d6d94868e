package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.catalog.ColumnInfo;
import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.catalog.TableInfo;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.UpdatePermission;
import io.joinery.policies.RoleNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.joinery.admin.check.SourceScope.columnName;
import static io.joinery.admin.check.SourceScope.tableName;

/**
 * The built-in checks against each source's catalog: tracked tables and renamed columns exist;
 * relationships join existing columns of comparable types, target tracked tables and do not reuse a
 * column's name; permissions (of every operation) name existing columns, their filters and checks
 * are well formed, and their presets set existing columns to well-formed session variables or literals;
 * enum tables have the shape and rows of one ({@link EnumTableCheck}); computed fields name a usable
 * function ({@link ComputedFieldCheck}) and select permissions only existing computed fields; tracked
 * functions are usable and their root fields free ({@link FunctionCheck}); roles of permissions
 * have valid names ({@link RoleNames}).
 */
final class DatabaseCheck implements ConsistencyCheck {

    @Override
    public List<Problem> check(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        List<Problem> problems = new ArrayList<>();
        Map<String, SourceScope> scopes = scopes(metadata, catalogs);
        for (Source source : metadata.sources()) {
            SourceScope scope = scopes.get(source.name());
            if (scope != null) {
                source.tables().forEach(table -> checkTable(scope, scopes, table, problems));
                source.functions().forEach(function -> problems.addAll(FunctionCheck.problems(scope, function)));
            }
        }
        problems.addAll(FunctionCheck.nameProblems(metadata));
        problems.addAll(roleNameProblems(metadata));
        return problems;
    }

    /** A permission of a role whose name is not one ({@link RoleNames}: no control, bidi or quote characters) is left out. */
    static List<Problem> roleNameProblems(Metadata metadata) {
        List<Problem> problems = new ArrayList<>();
        for (Source source : metadata.sources()) {
            for (TableConfig table : source.tables()) {
                table.permissions().keySet().stream()
                        .filter(role -> !RoleNames.isValid(role))
                        .forEach(role -> problems.add(Problem.of(new PermissionRef(new TableRef(source.name(), table.qualifiedName()), role),
                                "role name", "not a valid role name (" + RoleNames.RULE + ")")));
            }
        }
        return problems;
    }

    /** The sources whose catalogs could be read, by name. */
    static Map<String, SourceScope> scopes(Metadata metadata, Map<String, DatabaseCatalog> catalogs) {
        Map<String, SourceScope> scopes = new java.util.HashMap<>();
        for (Source source : metadata.sources()) {
            DatabaseCatalog catalog = catalogs.get(source.name());
            if (catalog != null) {
                scopes.put(source.name(), new SourceScope(source, catalog));
            }
        }
        return scopes;
    }

    private static void checkTable(SourceScope scope, Map<String, SourceScope> scopes, TableConfig config, List<Problem> problems) {
        QualifiedName name = config.qualifiedName();
        TableRef ref = scope.ref(name);
        Optional<TableInfo> found = scope.table(name);
        if (found.isEmpty()) {
            problems.add(Problem.of(ref, tableName(name), "the table does not exist in the database"));
            return;
        }
        TableInfo table = found.get();
        config.columns().keySet().stream()
                .filter(column -> table.column(column).isEmpty())
                .forEach(column -> problems.add(Problem.of(ref, columnName(name, column), "the renamed column does not exist")));
        config.relationships().forEach((relationship, definition) ->
                checkRelationship(definition.source() == null ? scope : scopes.get(definition.source()), config, table,
                        new RelationshipRef(ref, relationship), definition, problems));
        config.permissions().forEach((role, permissions) ->
                checkPermissions(scope, config, table, ref, role, permissions, problems));
        if (config.isEnum()) {
            problems.addAll(EnumTableCheck.problems(ref, table, scope.catalog().enumValues(name)));
        }
        config.computedFields().forEach((field, definition) ->
                problems.addAll(ComputedFieldCheck.problems(scope, config, table, field, definition)));
    }

    private static void checkRelationship(SourceScope scope, TableConfig config, TableInfo table, RelationshipRef ref,
                                          Relationship relationship, List<Problem> problems) {
        table.columns().stream()
                .filter(column -> config.columns().getOrDefault(column.name(), column.name()).equals(ref.name()))
                .forEach(column -> problems.add(Problem.of(ref, columnName(table.name(), column.name()),
                        "the relationship has the same name as a column of its table")));
        QualifiedName targetName = relationship.target();
        Optional<TableInfo> target = target(scope, ref, relationship, problems);
        if (target.isEmpty()) {
            return;
        }
        relationship.on().forEach((local, remote) -> {
            Optional<ColumnInfo> left = table.column(local);
            Optional<ColumnInfo> right = target.get().column(remote);
            if (left.isEmpty()) {
                problems.add(Problem.of(ref, columnName(table.name(), local), "the column does not exist"));
            }
            if (right.isEmpty()) {
                problems.add(Problem.of(ref, columnName(targetName, remote), "the column does not exist"));
            }
            if (left.isPresent() && right.isPresent() && !ColumnTypes.comparable(left.get(), right.get())) {
                problems.add(Problem.of(ref, columnName(targetName, remote), "its type " + right.get().sqlType()
                        + " cannot be compared with " + table.name() + "." + local + " of type " + left.get().sqlType()));
            }
        });
    }

    /**
     * The table {@code relationship} of {@code ref} joins to, in {@code scope} (its target's source),
     * or empty after adding why it cannot: the source is unknown or unreachable, the table is not
     * tracked or not in the database.
     */
    static Optional<TableInfo> target(SourceScope scope, MetadataObject ref, Relationship relationship, List<Problem> problems) {
        QualifiedName targetName = relationship.target();
        if (scope == null) {
            problems.add(Problem.of(ref, "source " + relationship.source(), "the target source is unknown or unreachable"));
            return Optional.empty();
        }
        if (scope.tracked(targetName).isEmpty()) {
            problems.add(Problem.of(ref, tableName(targetName), "the target table is not tracked"));
            return Optional.empty();
        }
        Optional<TableInfo> target = scope.table(targetName);
        if (target.isEmpty()) {
            problems.add(Problem.of(ref, tableName(targetName), "the target table does not exist in the database"));
        }
        return target;
    }

    /** Each operation's permission is an object of its own: its problems name it ({@code table article, insert permission user}). */
    private static void checkPermissions(SourceScope scope, TableConfig config, TableInfo table, TableRef tableRef, String role,
                                         RolePermissions permissions, List<Problem> problems) {
        permissions.operations().forEach((operation, permission) -> {
            PermissionRef ref = new PermissionRef(tableRef, role, operation);
            if (permission instanceof SelectPermission select) {
                problems.addAll(ComputedFieldCheck.permissionProblems(config, ref, select));
            }
            checkColumns(table, ref, switch (permission) {
                case SelectPermission select -> select.columns();
                case InsertPermission insert -> insert.columns();
                case UpdatePermission update -> update.columns();
                case DeletePermission delete -> List.of();
            }, problems);
            Dependents.expressions(permission).forEach((name, expression) ->
                    new FilterCheck(scope, ref, problems, name).check(expression, table, Optional.of(config)));
            checkPresets(table, ref, switch (permission) {
                case InsertPermission insert -> insert.set();
                case UpdatePermission update -> update.set();
                case SelectPermission select -> Map.of();
                case DeletePermission delete -> Map.of();
            }, problems);
        });
    }

    private static void checkColumns(TableInfo table, PermissionRef ref, List<String> columns, List<Problem> problems) {
        columns.stream()
                .filter(column -> !column.equals("*") && table.column(column).isEmpty())
                .forEach(column -> problems.add(Problem.of(ref, columnName(table.name(), column), "the permitted column does not exist")));
    }

    /** Presets may set any existing column (also one outside {@code columns}); a value naming a session variable must be a well-formed one. */
    private static void checkPresets(TableInfo table, PermissionRef ref, Map<String, JsonNode> presets, List<Problem> problems) {
        presets.forEach((column, value) -> {
            if (table.column(column).isEmpty()) {
                problems.add(Problem.of(ref, columnName(table.name(), column), "the preset column does not exist"));
            }
            if (value != null && value.isTextual()) {
                FilterCheck.sessionVariableProblem(value.textValue()).ifPresent(reason ->
                        problems.add(Problem.of(ref, "session variable " + value.textValue(), reason + " (set at $." + column + ")")));
            }
        });
    }
}
