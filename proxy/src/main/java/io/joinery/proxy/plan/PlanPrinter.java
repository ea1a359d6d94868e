package io.joinery.proxy.plan;

import graphql.language.AstPrinter;
import graphql.language.VariableDefinition;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.JoinForm;
import io.joinery.proxy.schema.RemotePathStep;
import io.joinery.proxy.schema.TableModel;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link QueryPlan} as indented text, one node a line, children two spaces in, for golden tests
 * and for reading: roots and fields under the client's aliases ({@code alias: kind …}), each
 * select's table, filter (a tree of {@link BoolExp}s), order, distinct, limits, and each join's
 * keys, path and form. Values print as {@code $variable}, {@code session(name)} or a JSON literal.
 * The same plan prints the same text: it holds no identity hash or unordered map iteration.
 */
public final class PlanPrinter {

    private final StringBuilder out = new StringBuilder();

    private PlanPrinter() {
    }

    public static String print(QueryPlan plan) {
        PlanPrinter printer = new PlanPrinter();
        printer.line(0, plan.operationType() + (plan.operationName() == null ? "" : " " + plan.operationName()));
        plan.roots().forEach(root -> printer.root(1, root));
        return printer.out.toString();
    }

    private void line(int depth, String text) {
        out.append("  ".repeat(depth)).append(text).append('\n');
    }

    private void root(int depth, RootField root) {
        String alias = root.alias() + ": ";
        switch (root) {
            case RootField.SelectMany many -> {
                line(depth, alias + "select-many");
                select(depth + 1, many.select());
                fields(depth + 1, many.fields());
            }
            case RootField.SelectByPk byPk -> {
                line(depth, alias + "select-by-pk");
                select(depth + 1, byPk.select());
                fields(depth + 1, byPk.fields());
            }
            case RootField.SelectAggregate aggregate -> {
                line(depth, alias + "select-aggregate");
                select(depth + 1, aggregate.select());
                parts(depth + 1, aggregate.parts());
            }
            case RootField.SelectFunction function -> {
                line(depth, alias + "select-function " + call(function.function(), function.arguments()));
                select(depth + 1, function.select());
                fields(depth + 1, function.fields());
            }
            case RootField.SelectFunctionAggregate function -> {
                line(depth, alias + "select-function-aggregate " + call(function.function(), function.arguments()));
                select(depth + 1, function.select());
                parts(depth + 1, function.parts());
            }
            case RootField.Mutation mutation -> mutation(depth, alias, mutation);
            case RootField.Typename typename -> line(depth, alias + "__typename " + typename.typeName());
            case RootField.Introspection introspection -> line(depth, alias + "introspection");
            case RootField.Remote remote -> {
                line(depth, alias + "remote " + remote.remote() + (remote.namespaced() ? " namespaced" : ""));
                line(depth + 1, "query " + AstPrinter.printAstCompact(remote.field()));
                answerJoins(depth + 1, remote.tableJoins(), remote.remoteJoins());
            }
            case RootField.Action action -> {
                line(depth, alias + "action " + action.action().name() + (action.action().mutation() ? " mutation" : " query"));
                answerJoins(depth + 1, action.tableJoins(), List.of());
            }
        }
    }

    private void mutation(int depth, String alias, RootField.Mutation mutation) {
        Write write = mutation.write();
        switch (write) {
            case Write.Insert insert -> {
                line(depth, alias + "insert " + insert.table().name() + " " + insert.columns().stream().map(c -> c.column()).toList()
                        + (insert.bound() != null ? " rows of $" + insert.bound().rows().name() + " (one parameter)" : " rows " + insert.rows().size())
                        + (insert.hasNested() ? " nested" : ""));
                if (insert.onConflict() != null) {
                    line(depth + 1, "on-conflict " + insert.onConflict().constraint() + " " + assignments(insert.onConflict().updates()));
                    boolExp(depth + 2, insert.onConflict().where());
                }
                line(depth + 1, "check");
                boolExp(depth + 2, insert.check());
            }
            case Write.Update update -> {
                line(depth, alias + "update " + update.table().name() + " " + assignments(update.assignments()));
                boolExp(depth + 1, update.where());
                line(depth + 1, "check");
                boolExp(depth + 2, update.check());
            }
            case Write.UpdateMany many -> {
                line(depth, alias + "update-many " + many.table().name());
                for (Write.Update update : many.updates()) {
                    line(depth + 1, "update " + assignments(update.assignments()));
                    boolExp(depth + 2, update.where());
                    line(depth + 2, "check");
                    boolExp(depth + 3, update.check());
                }
            }
            case Write.Delete delete -> {
                line(depth, alias + "delete " + delete.table().name());
                boolExp(depth + 1, delete.where());
            }
        }
        switch (mutation.output()) {
            case MutationOutput.Row row -> {
                line(depth + 1, "row");
                fields(depth + 2, row.fields());
            }
            case MutationOutput.Responses responses -> {
                line(depth + 1, "responses");
                parts(depth + 1, responses.response());
            }
            case MutationOutput.Response response -> parts(depth, response);
        }
    }

    private void parts(int depth, MutationOutput.Response response) {
        for (MutationOutput.Part part : response.parts()) {
            switch (part) {
                case MutationOutput.AffectedRows affected -> line(depth + 1, affected.alias() + ": affected_rows");
                case MutationOutput.Typename typename -> line(depth + 1, typename.alias() + ": __typename " + typename.typeName());
                case MutationOutput.Returning returning -> {
                    line(depth + 1, returning.alias() + ": returning");
                    fields(depth + 2, returning.fields());
                }
            }
        }
    }

    private static List<String> assignments(List<Write.Assignment> assignments) {
        return assignments.stream().map(a -> a.column().column() + " " + a.operation().name().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    private void fields(int depth, List<RowField> fields) {
        if (fields.isEmpty()) {
            return;
        }
        line(depth, "fields");
        fields.forEach(field -> field(depth + 1, field));
    }

    private void field(int depth, RowField field) {
        String alias = field.alias() + ": ";
        switch (field) {
            case RowField.Column column -> line(depth, alias + "column " + column(column.column())
                    + (column.path() == null ? "" : " at " + value(column.path())));
            case RowField.Typename typename -> line(depth, alias + "__typename " + typename.typeName());
            case RowField.ObjectRelation relation -> {
                line(depth, alias + "object-relationship " + relation.relationship().name() + " -> " + relation.relationship().target());
                select(depth + 1, relation.select());
                fields(depth + 1, relation.fields());
            }
            case RowField.ArrayRelation relation -> {
                line(depth, alias + "array-relationship " + relation.relationship().name() + " -> " + relation.relationship().target());
                select(depth + 1, relation.select());
                fields(depth + 1, relation.fields());
            }
            case RowField.ArrayAggregate aggregate -> {
                line(depth, alias + "array-aggregate " + aggregate.relationship().name() + " -> " + aggregate.relationship().target());
                select(depth + 1, aggregate.select());
                parts(depth + 1, aggregate.parts());
            }
            case RowField.Computed computed -> line(depth, alias + "computed " + call(computed.field(), computed.arguments()));
            case RowField.ComputedRows computed -> {
                line(depth, alias + "computed-rows " + call(computed.field(), computed.arguments()));
                select(depth + 1, computed.select());
                fields(depth + 1, computed.fields());
            }
            case RowField.SourceJoin join -> {
                line(depth, alias + "source-join");
                tableJoin(depth + 1, join.join());
            }
            case RowField.RemoteJoin remote -> {
                line(depth, alias + "remote-join");
                remoteJoin(depth + 1, remote);
            }
        }
    }

    private void parts(int depth, List<AggregatePart> parts) {
        line(depth, "parts");
        for (AggregatePart part : parts) {
            String alias = part.alias() + ": ";
            switch (part) {
                case AggregatePart.Typename typename -> line(depth + 1, alias + "__typename " + typename.typeName());
                case AggregatePart.Nodes nodes -> {
                    line(depth + 1, alias + "nodes");
                    nodes.fields().forEach(field -> field(depth + 2, field));
                }
                case AggregatePart.Aggregate aggregate -> {
                    line(depth + 1, alias + "aggregate");
                    aggregate.functions().forEach(function -> aggregateFunction(depth + 2, function));
                }
            }
        }
    }

    private void aggregateFunction(int depth, AggregatePart.AggregateFunction function) {
        String alias = function.alias() + ": ";
        switch (function) {
            case AggregatePart.Count count -> line(depth, alias + "count" + (count.columns().isEmpty() ? "" : " " + columns(count.columns()))
                    + (count.distinct() ? " distinct" : ""));
            case AggregatePart.ColumnsOp op -> {
                line(depth, alias + op.op() + " (" + op.typeName() + ")");
                for (AggregatePart.OpColumn column : op.columns()) {
                    line(depth + 1, column.alias() + ": " + (column.column() == null ? "__typename" : "column " + column(column.column())));
                }
            }
            case AggregatePart.AggregateTypename typename -> line(depth, alias + "__typename " + typename.typeName());
        }
    }

    private void select(int depth, Select select) {
        line(depth, "from " + table(select.table()));
        if (!select.where().equals(BoolExp.TRUE)) {
            line(depth, "where");
            boolExp(depth + 1, select.where());
        }
        if (!select.orderBy().isEmpty()) {
            line(depth, "order-by");
            select.orderBy().forEach(term -> orderBy(depth + 1, term));
        }
        if (!select.distinctOn().isEmpty()) {
            line(depth, "distinct-on " + columns(select.distinctOn()));
        }
        if (select.limit() != null) {
            line(depth, "limit " + value(select.limit()));
        }
        if (select.offset() != null) {
            line(depth, "offset " + value(select.offset()));
        }
        if (select.permissionLimit() != null) {
            line(depth, "permission-limit " + select.permissionLimit());
        }
        new java.util.TreeMap<>(select.redactions()).forEach((field, visible) -> {
            line(depth, "redacted " + field + ": null unless");
            boolExp(depth + 1, visible);
        });
    }

    private void orderBy(int depth, OrderBy term) {
        StringBuilder path = new StringBuilder();
        for (OrderBy.Hop hop : term.path()) {
            path.append(hop.relationship().name()).append('.');
        }
        String target = switch (term.target()) {
            case OrderBy.ByColumn column -> column(column.column());
            case OrderBy.ByComputed computed -> "computed " + computed.field().name();
            case OrderBy.ByAggregate aggregate -> aggregate.relationship().name() + "." + aggregate.op()
                    + (aggregate.column() == null ? "" : "(" + column(aggregate.column()) + ")");
            case OrderBy.ByComputedAggregate aggregate -> "computed " + aggregate.field().name() + "." + aggregate.op()
                    + (aggregate.column() == null ? "" : "(" + column(aggregate.column()) + ")");
        };
        line(depth, path + target + " " + term.direction());
        for (OrderBy.Hop hop : term.path()) {
            filterOf(depth + 1, hop.relationship().name(), hop.filter());
        }
        if (term.target() instanceof OrderBy.ByAggregate aggregate) {
            filterOf(depth + 1, aggregate.relationship().name(), aggregate.filter());
        }
        if (term.target() instanceof OrderBy.ByComputedAggregate aggregate) {
            filterOf(depth + 1, aggregate.field().name(), aggregate.filter());
        }
        if (!term.visible().equals(BoolExp.TRUE)) {
            line(depth + 1, "redacted: null unless");
            boolExp(depth + 2, term.visible());
        }
    }

    private void filterOf(int depth, String relationship, BoolExp filter) {
        if (!filter.equals(BoolExp.TRUE)) {
            line(depth, "filter of " + relationship);
            boolExp(depth + 1, filter);
        }
    }

    private void boolExp(int depth, BoolExp exp) {
        switch (exp) {
            case BoolExp.And and when and.operands().isEmpty() -> line(depth, "true");
            case BoolExp.And and -> {
                line(depth, "and");
                and.operands().forEach(operand -> boolExp(depth + 1, operand));
            }
            case BoolExp.Or or -> {
                line(depth, "or");
                or.operands().forEach(operand -> boolExp(depth + 1, operand));
            }
            case BoolExp.Not not -> {
                line(depth, "not");
                boolExp(depth + 1, not.operand());
            }
            case BoolExp.Compare compare -> line(depth, compare(compare));
            case BoolExp.Cast cast -> line(depth, "cast " + column(cast.column()) + " to " + cast.targetSqlType() + ": " + compare(cast.comparison()));
            case BoolExp.ComputedCompare computed -> line(depth, "computed " + computed.field().name()
                    + (computed.castToText() ? " as text " : " ") + computed.comparison().op() + " " + value(computed.comparison().value()));
            case BoolExp.ComputedRows rows -> {
                line(depth, "computed-rows " + rows.field().name() + " -> " + table(rows.target()));
                boolExp(depth + 1, rows.where());
            }
            case BoolExp.Related related -> {
                line(depth, "related " + related.relationship().name() + " -> " + table(related.target()));
                boolExp(depth + 1, related.where());
            }
            case BoolExp.ColumnCompare compare -> line(depth, column(compare.column()) + " " + compare.op() + " "
                    + (compare.root() ? "root." : "column ") + column(compare.other()));
            case BoolExp.PermissionRoot root -> {
                line(depth, "permission-root");
                boolExp(depth + 1, root.filter());
            }
            case BoolExp.Redacted redacted -> {
                line(depth, "redacted: null unless");
                boolExp(depth + 2, redacted.visible());
                boolExp(depth + 1, redacted.comparison());
            }
            case BoolExp.Exists exists -> {
                line(depth, "exists " + table(exists.table()));
                boolExp(depth + 1, exists.where());
            }
        }
    }

    private void remoteJoin(int depth, RowField.RemoteJoin remote) {
        JoinSpec join = remote.join();
        line(depth, "remote " + join.remote() + " keys " + join.keyColumns() + " phantom " + join.phantomKey());
        line(depth, "path " + join.path().stream().map(PlanPrinter::pathStep).collect(Collectors.joining(" > ")));
        line(depth, "form " + form(join.form()));
        line(depth, "selection " + (join.selection() == null ? "none" : AstPrinter.printAstCompact(join.selection())));
        if (!join.fragments().isEmpty()) {
            line(depth, "fragments " + join.fragments().keySet().stream().sorted().toList());
        }
        if (!join.variableDefinitions().isEmpty()) {
            line(depth, "variables " + join.variableDefinitions().stream().map(VariableDefinition::getName).toList());
        }
        answerJoins(depth, remote.tableJoins(), remote.remoteJoins());
    }

    private void answerJoins(int depth, List<RemoteTableJoin> tables, List<RemoteSchemaJoin> remotes) {
        for (RemoteTableJoin table : tables) {
            line(depth, "table-join " + table.alias() + " at " + table.path());
            tableJoin(depth + 1, table);
        }
        for (RemoteSchemaJoin remote : remotes) {
            line(depth, "remote-schema-join " + remote.field().alias() + " at " + remote.path() + " key aliases " + remote.keyAliases());
            remoteJoin(depth + 1, remote.field());
        }
    }

    private void tableJoin(int depth, RemoteTableJoin join) {
        line(depth, (join.relationship().array() ? "array" : "object") + " relationship " + join.relationship().name() + " -> "
                + join.relationship().target() + " on source " + join.source());
        line(depth, "keys " + join.relationship().mapping() + " as " + join.keyAliases());
        select(depth, join.select());
        fields(depth, join.fields());
    }

    private static String pathStep(RemotePathStep step) {
        return step.field() + (step.arguments() == null ? "" : "(" + step.arguments() + ")");
    }

    private static String form(JoinForm form) {
        return switch (form) {
            case JoinForm.PerKey perKey -> "per-key";
            case JoinForm.ListArgument list -> "list-argument keys " + list.keyFields() + (list.array() ? " array" : "");
            case JoinForm.Entities entities -> "entities " + entities.typename() + " keys " + entities.keyFields();
        };
    }

    private static String compare(BoolExp.Compare compare) {
        return column(compare.column()) + " " + compare.op() + " " + value(compare.value());
    }

    private static String call(ComputedFieldModel function, Map<String, PlanValue> arguments) {
        return function.name() + " = " + name(function.function()) + arguments.entrySet().stream()
                .map(argument -> argument.getKey() + ": " + value(argument.getValue()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A bind parameter's value: a variable reference, a session variable, or a JSON literal. */
    static String value(PlanValue value) {
        return switch (value) {
            case PlanValue.Variable variable -> "$" + variable.name();
            case PlanValue.Session session -> "session(" + session.name() + ")";
            case PlanValue.SessionVariables all -> "session-variables";
            case PlanValue.JsonPathOf path -> "path " + value(path.path());
            case PlanValue.ListOf list -> list.items().stream().map(PlanPrinter::value).collect(Collectors.joining(", ", "[", "]"));
            case PlanValue.Fields object -> object.fields().entrySet().stream().map(e -> e.getKey() + ": " + value(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            case PlanValue.Literal literal -> JsonValues.toJson(literal.value());
        };
    }

    /** A table by its key ({@code source/schema.name}), as relationships name their targets. */
    private static String table(TableModel table) {
        return table.key();
    }

    private static String name(QualifiedName name) {
        return name.schema() + "." + name.name();
    }

    private static String column(ColumnModel column) {
        return column.column();
    }

    private static String columns(List<ColumnModel> columns) {
        return columns.stream().map(PlanPrinter::column).collect(Collectors.joining(", ", "[", "]"));
    }
}
