package io.joinery.proxy.compile;

import io.joinery.proxy.plan.BoolExp;
import io.joinery.proxy.plan.MutationOutput;
import io.joinery.proxy.plan.PlanValue;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.plan.Select;
import io.joinery.proxy.plan.Write;
import io.joinery.proxy.response.ResultShape;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.TableModel;
import io.joinery.proxy.sql.BindMode;
import io.joinery.proxy.sql.SqlWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Compiles one table mutation into ONE statement, its write a data-modifying CTE:
 * <pre>
 * WITH t0 AS (INSERT INTO "public"."author" AS t1 ("name") VALUES ($1::text::"text") RETURNING *)
 * SELECT to_json((SELECT row((SELECT count(*) FROM t0),
 *                            (SELECT coalesce(json_agg(row(t2."id", t2."name")), '[]') FROM (SELECT t2."id", t2."name" FROM t0 AS t2) AS t2))))::text,
 *        (SELECT coalesce(bool_and(coalesce(&lt;check on t3&gt;, false)), true) FROM t0 AS t3)
 * </pre>
 *
 * <p>Note [Mutations]: a mutation's rows come back in the query's shapes (records, Note [Rows from
 * Postgres, JSON from the sidecar]): {@code returning} and the {@code _one}/{@code _by_pk} row are
 * the selects a query compiles, read from the CTE's rows instead of the table, within the role's
 * select filter; relationships, aggregates and computed fields read the other tables as they were
 * before the statement (Postgres' rule for data-modifying CTEs). The second column says whether
 * every written row meets the permission's {@code check}; when one does not, the engine rolls the
 * request's transaction back and answers {@code permission-error}. All the mutation fields of a
 * request run in ONE transaction, in order, each its own statement; remote joins in their answers
 * run after the commit, so a remote that reads the new rows finds them.
 */
final class MutationCompiler {

    private final SqlCompiler compiler;
    private final SqlWriter out;

    MutationCompiler(SqlCompiler compiler) {
        this.compiler = compiler;
        this.out = compiler.out;
    }

    CompiledQuery.SourceStatement compile(RootField.Mutation mutation) {
        String written = compiler.nextAlias();
        out.sql("WITH ").alias(written).sql(" AS (");
        BoolExp check = switch (mutation.write()) {
            case Write.Insert insert -> insert(insert);
            case Write.Update update -> update(update);
            case Write.Delete delete -> delete(delete);
        };
        out.sql(") SELECT ");
        ResultShape shape = switch (mutation.output()) {
            case MutationOutput.Response response -> response(response, written);
            case MutationOutput.Row row -> row(row, written);
        };
        out.sql(", ");
        check(check, written);
        return new CompiledQuery.SourceStatement(mutation.write().table().source(), out.build(), List.of(mutation.alias()), List.of(shape));
    }

    // ---- writes

    private BoolExp insert(Write.Insert insert) {
        TableModel table = insert.table();
        String alias = compiler.nextAlias();
        if (insert.rows().isEmpty()) {
            out.sql("SELECT * FROM ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias).sql(" WHERE false");
            return BoolExp.TRUE;
        }
        out.sql("INSERT INTO ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias);
        if (insert.columns().isEmpty() && insert.rows().size() == 1) {
            out.sql(" DEFAULT VALUES");
        } else {
            List<ColumnModel> columns = insert.columns().isEmpty() ? List.of(table.columns().getFirst()) : insert.columns();
            out.sql(" (");
            for (int i = 0; i < columns.size(); i++) {
                out.sql(i == 0 ? "" : ", ").ident(columns.get(i).column());
            }
            out.sql(") VALUES ");
            for (int r = 0; r < insert.rows().size(); r++) {
                out.sql(r == 0 ? "(" : ", (");
                List<PlanValue> row = insert.rows().get(r);
                for (int i = 0; i < columns.size(); i++) {
                    out.sql(i == 0 ? "" : ", ");
                    PlanValue value = i < row.size() ? row.get(i) : null;
                    if (value == null) {
                        out.sql("DEFAULT");
                    } else {
                        value(value, columns.get(i));
                    }
                }
                out.sql(")");
            }
        }
        onConflict(insert.onConflict(), alias);
        out.sql(" RETURNING *");
        return insert.check();
    }

    private void onConflict(Write.OnConflict conflict, String alias) {
        if (conflict == null) {
            return;
        }
        out.sql(" ON CONFLICT ON CONSTRAINT ").ident(conflict.constraint());
        if (conflict.updates().isEmpty()) {
            out.sql(" DO NOTHING");
            return;
        }
        out.sql(" DO UPDATE SET ");
        assignments(conflict.updates(), alias);
        if (!conflict.where().equals(BoolExp.TRUE)) {
            out.sql(" WHERE ");
            compiler.boolExp(conflict.where(), alias);
        }
    }

    private BoolExp update(Write.Update update) {
        TableModel table = update.table();
        String alias = compiler.nextAlias();
        out.sql("UPDATE ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias).sql(" SET ");
        assignments(update.assignments(), alias);
        compiler.where(update.where(), alias, null, null);
        out.sql(" RETURNING *");
        return update.check();
    }

    private BoolExp delete(Write.Delete delete) {
        TableModel table = delete.table();
        String alias = compiler.nextAlias();
        out.sql("DELETE FROM ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias);
        compiler.where(delete.where(), alias, null, null);
        out.sql(" RETURNING *");
        return BoolExp.TRUE;
    }

    /** {@code "c" = $1…}, {@code "c" = t1."c" + $2…}, {@code "c" = EXCLUDED."c"}, {@code "c" = t1."c" || $3…}, …. */
    private void assignments(List<Write.Assignment> assignments, String alias) {
        for (int i = 0; i < assignments.size(); i++) {
            Write.Assignment assignment = assignments.get(i);
            ColumnModel column = assignment.column();
            out.sql(i == 0 ? "" : ", ").ident(column.column()).sql(" = ");
            switch (assignment.operation()) {
                case SET -> value(assignment.value(), column);
                case INC -> {
                    out.column(alias, column.column()).sql(" + ");
                    value(assignment.value(), column);
                }
                case EXCLUDED -> out.sql("EXCLUDED.").ident(column.column());
                case APPEND -> {
                    out.column(alias, column.column()).sql(" || ");
                    value(assignment.value(), column);
                }
                case PREPEND -> {
                    value(assignment.value(), column);
                    out.sql(" || ").column(alias, column.column());
                }
                case DELETE_KEY -> out.column(alias, column.column()).sql(" - ").param(assignment.value(), BindMode.TEXT, "text");
                case DELETE_ELEM -> out.column(alias, column.column()).sql(" - ").param(assignment.value(), BindMode.TEXT, "int4");
                case DELETE_AT_PATH -> out.column(alias, column.column()).sql(" #- ").param(assignment.value(), BindMode.TEXT_ARRAY, "text");
            }
        }
    }

    /** A value for {@code column}, a parameter cast to its type. */
    private void value(PlanValue value, ColumnModel column) {
        BindMode mode = column.array() ? BindMode.TEXT_ARRAY : column.kind().json() ? BindMode.JSON : BindMode.TEXT;
        out.param(value, mode, column.sqlType());
    }

    // ---- answers

    /** {@code to_json((SELECT row(count, rows)))::text}: the {@code t_mutation_response} object. */
    private ResultShape response(MutationOutput.Response response, String written) {
        List<ResultShape.Member> members = new ArrayList<>();
        int values = 0;
        out.sql("to_json((SELECT row(");
        for (MutationOutput.Part part : response.parts()) {
            switch (part) {
                case MutationOutput.Typename typename -> members.add(new ResultShape.Constant(part.alias(), typename.typeName()));
                case MutationOutput.AffectedRows affected -> {
                    out.sql(values++ == 0 ? "" : ", ").sql("(SELECT count(*) FROM ").alias(written).sql(")");
                    members.add(new ResultShape.Read(part.alias(), ResultShape.VALUE));
                }
                case MutationOutput.Returning returning -> {
                    out.sql(values++ == 0 ? "" : ", ").sql("(");
                    members.add(new ResultShape.Read(part.alias(), rows(returning.select(), returning.fields(), written)));
                    out.sql(")");
                }
            }
        }
        out.sql(")))::text");
        return new ResultShape.Obj(members);
    }

    /** {@code SELECT coalesce(json_agg(row(…)), '[]') FROM (SELECT … FROM t0 AS tN WHERE filter) AS tN}. */
    private ResultShape.ListOf rows(Select select, List<RowField> fields, String written) {
        String alias = compiler.nextAlias();
        out.sql("SELECT coalesce(json_agg(");
        ResultShape.Obj row = compiler.object(fields, alias, select.redactions());
        out.sql("), '[]') FROM (SELECT ");
        compiler.selected(out.columnsRead(alias), alias);
        out.sql(" FROM ").alias(written).sql(" AS ").alias(alias);
        compiler.where(select.where(), alias, null, null);
        out.sql(") AS ").alias(alias);
        return new ResultShape.ListOf(row);
    }

    /** {@code to_json((SELECT row(…) FROM t0 AS tN WHERE filter LIMIT 1))::text}: the written row, or null. */
    private ResultShape row(MutationOutput.Row row, String written) {
        String alias = compiler.nextAlias();
        out.sql("to_json((SELECT ");
        ResultShape.Obj shape = compiler.object(row.fields(), alias, row.select().redactions());
        out.sql(" FROM ").alias(written).sql(" AS ").alias(alias);
        compiler.where(row.select().where(), alias, null, null);
        out.sql(" LIMIT 1))::text");
        return shape;
    }

    /** Whether every written row meets {@code check}: {@code (SELECT coalesce(bool_and(…), true) FROM t0 AS tN)}. */
    private void check(BoolExp check, String written) {
        if (check.equals(BoolExp.TRUE)) {
            out.sql("true");
            return;
        }
        String alias = compiler.nextAlias();
        // A row whose check is NULL (a comparison with NULL) fails it: bool_and would skip it.
        out.sql("(SELECT coalesce(bool_and(coalesce(");
        compiler.boolExp(check, alias);
        out.sql(", false)), true) FROM ").alias(written).sql(" AS ").alias(alias).sql(")");
    }
}
