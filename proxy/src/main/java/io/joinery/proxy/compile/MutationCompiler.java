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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles one table mutation into ONE statement, its write a data-modifying CTE:
 * <pre>
 * WITH t0 AS (INSERT INTO "public"."author" AS t1 ("name") VALUES ($1::text::"text") RETURNING *)
 * SELECT to_json((SELECT json_build_array((SELECT count(*) FROM t0),
 *            (SELECT coalesce(json_agg(json_build_array(t2."id", t2."name")), '[]') FROM (SELECT t2."id", t2."name" FROM t0 AS t2) AS t2))))::text,
 *        CASE WHEN (SELECT coalesce(bool_and(coalesce(&lt;check on t3&gt;, false)), true) FROM t0 AS t3) THEN true
 *             ELSE (SELECT CAST('joinery:refused:0:' || count(*) AS int4) FROM t0) IS NULL END
 * </pre>
 *
 * <p>Note [Mutations]: a mutation's rows come back in the query's shapes (arrays of values, Note [Rows from
 * Postgres, JSON from the sidecar]): {@code returning} and the {@code _one}/{@code _by_pk} row are
 * the selects a query compiles, read from the CTE's rows instead of the table, within the role's
 * select filter; relationships, aggregates and computed fields read the other tables as they were
 * before the statement (Postgres' rule for data-modifying CTEs). The second column tests that every
 * written row meets the permission's {@code check}; when one does not, the statement fails itself
 * (the cast of Note [Object relationships that write no row]), so Postgres rolls it back, and its
 * transaction, and the engine answers {@code permission-error}; a statement is thus all or nothing
 * by itself, checks included, which lets a request of one field run it alone (Note [One write, no
 * transaction] in {@code execute.Database}). All the mutation fields of a
 * request run in ONE transaction, in order, each its own statement; remote joins in their answers
 * run after the commit, so a remote that reads the new rows finds them.
 *
 * <p>Note [Many updates]: {@code update_t_many} runs its updates in order, each ONE statement of
 * its own in the request's transaction, and answers the list of their responses. One combined
 * statement cannot do it: the CTEs of one statement all read the same snapshot, so a later update
 * would not see what an earlier one changed, and Postgres leaves undefined which of two updates of
 * the same row in one statement wins. Hasura's documented meaning is "in order", so N statements.
 */
final class MutationCompiler {

    private final SqlCompiler compiler;
    private final SqlWriter out;

    MutationCompiler(SqlCompiler compiler) {
        this.compiler = compiler;
        this.out = compiler.out;
    }

    /**
     * A CTE that wrote rows of {@code table}, each of which must meet {@code check}; or, {@code checked},
     * whose rows carry the outcome of their check in a column of their own (Note [Upsert checks]).
     */
    private record Written(String cte, TableModel table, BoolExp check, boolean checked) {
    }

    /** The columns of a checked upsert's rows: the written row (of the table's row type), and whether it meets its check. */
    private static final String ROW = "joinery:row";
    private static final String CHECKED = "joinery:check";

    /**
     * A column a relationship fills in: the column {@code column} of the one row of the CTE {@code cte};
     * {@code refusal}, when not negative, the index of the refusal raised should that CTE have written no row.
     */
    private record Link(String cte, String column, int refusal) {
    }

    /** What the statement refuses with an error of its own (Note [Object relationships that write no row]). */
    private final List<CompiledQuery.Refusal> refusals = new ArrayList<>();

    /** Every CTE that writes, at any depth (Note [Nested inserts]): what {@code affected_rows} counts and the check tests. */
    private final List<Written> writes = new ArrayList<>();
    private int ctes;

    CompiledQuery.SourceStatement compile(RootField.Mutation mutation) {
        out.sql("WITH ");
        String written;
        if (mutation.write() instanceof Write.Insert insert && insert.hasNested()) {
            written = nested(insert, "$.selectionSet." + mutation.alias() + (mutation.output() instanceof MutationOutput.Row ? ".args.object" : ".args.objects"));
        } else if (mutation.write() instanceof Write.Insert insert) {
            written = compiler.nextAlias();
            insertCte(written, insert, insert.rows(), Map.of());
        } else {
            written = compiler.nextAlias();
            cte(written);
            BoolExp check = switch (mutation.write()) {
                case Write.Insert insert -> throw new IllegalStateException("an insert is written by insertCte");
                case Write.Update update -> update(update);
                case Write.Delete delete -> delete(delete);
                case Write.UpdateMany many -> throw new IllegalStateException("each update of update_many is a statement of its own");
            };
            out.sql(")");
            writes.add(new Written(written, mutation.write().table(), check, false));
        }
        out.sql(" SELECT ");
        ResultShape shape = switch (mutation.output()) {
            case MutationOutput.Response response -> response(response, written);
            case MutationOutput.Row row -> row(row, written);
            case MutationOutput.Responses responses -> throw new IllegalStateException("each update of update_many answers one response");
        };
        out.sql(", ");
        check("$.selectionSet." + mutation.alias());
        return new CompiledQuery.SourceStatement(mutation.write().table().source(), out.build(), List.of(mutation.alias()), List.of(shape),
                refusals);
    }

    /** {@code name AS (}, after a comma unless it is the first CTE. */
    private void cte(String name) {
        out.sql(ctes++ == 0 ? "" : ", ").alias(name).sql(" AS (");
    }

    // ---- writes

    /**
     * Note [Nested inserts]: an insert through relationships is still ONE statement, a chain of
     * data-modifying CTEs, as Hasura's: each row that inserts through a relationship is a CTE of its
     * own, written after the CTEs of its object relationships (their rows come first, and the row's
     * columns of the relationship read them: {@code (SELECT t2."id" FROM t2)}) and before those of
     * its array relationships (whose rows read their relationship's columns from it), at any depth.
     * One row per CTE is what pairs a child with its parent without relying on the order of
     * {@code RETURNING}. Foreign keys hold: Postgres checks them at the end of the statement. The
     * root rows are the union of their CTEs; {@code affected_rows} counts the rows of every CTE, and
     * each CTE's rows must meet the check of the role's insert permission on its table. A
     * statement's reads see the tables as they were before it, so {@code returning} reads a table
     * the statement inserted into as that table with the inserted rows added ({@code
     * SqlCompiler#from}); an upserted row replaces its old version there.
     *
     * <p>Note [Object relationships that write no row]: a row inserted through an object relationship
     * with {@code on_conflict} may write nothing ({@code DO NOTHING}, or a {@code where} that skips the
     * conflicting row), and then has no key to give its parent; a parent upserted so may have none for
     * its array relationships' rows. Hasura refuses both ("cannot proceed to insert object relation
     * \"author\" since insert to table \"author\" affects zero rows", {@code not-supported}, at the
     * relationship's path), and so does the statement: such a link reads {@code coalesce(the key,
     * <an error>)}, the error a cast of {@code 'joinery:refused:<n>:'} to an integer, which Postgres
     * evaluates only when the key is missing (and cannot fold before: it reads the CTE). The error
     * fails the statement, so nothing is written, and the engine answers refusal n. A link of a row
     * written without {@code on_conflict} always has its key, and stays as it was.
     */
    private String nested(Write.Insert insert, String path) {
        List<String> rows = insertRows(insert, Map.of(), path, true);
        String all = compiler.nextAlias();
        cte(all);
        for (int i = 0; i < rows.size(); i++) {
            out.sql(i == 0 ? "SELECT * FROM " : " UNION ALL SELECT * FROM ").alias(rows.get(i));
        }
        if (rows.isEmpty()) {
            out.sql("SELECT * FROM ").table(insert.table().name().schema(), insert.table().name().name()).sql(" WHERE false");
        }
        out.sql(")");
        return all;
    }

    /**
     * The CTEs of {@code insert}'s rows (each with its nested rows), {@code links} filling the columns a parent gives;
     * {@code path} is where the rows are in the request, Hasura's way ({@code …args.objects[0].author.data}).
     */
    private List<String> insertRows(Write.Insert insert, Map<String, Link> links, String path, boolean indexed) {
        if (!insert.hasNested()) {
            return List.of(insertCte(insert, insert.rows(), links));
        }
        List<String> names = new ArrayList<>();
        for (int r = 0; r < insert.rows().size(); r++) {
            Write.Nested nested = insert.nested().get(r);
            String rowPath = indexed ? path + "[" + r + "]" : path;
            Map<String, Link> rowLinks = new LinkedHashMap<>(links);
            for (Write.Related related : nested.before()) {
                String name = related.relationship().name();
                String target = insertRows(related.insert(), Map.of(), rowPath + "." + name + ".data", false).getFirst();
                int refusal = related.insert().onConflict() == null ? -1 : refusal("cannot proceed to insert object relation \"" + name
                        + "\" since insert to table \"" + tableText(related.insert().table()) + "\" affects zero rows", rowPath + "." + name);
                related.relationship().mapping().forEach((column, targetColumn) -> rowLinks.put(column, new Link(target, targetColumn, refusal)));
            }
            String row = insertCte(insert, List.of(insert.rows().get(r)), rowLinks);
            int refusal = insert.onConflict() == null || nested.after().isEmpty() ? -1 : refusal(
                    "cannot proceed to insert array relations since insert to table \"" + tableText(insert.table()) + "\" affects zero rows", rowPath);
            for (Write.Related related : nested.after()) {
                Map<String, Link> childLinks = new LinkedHashMap<>();
                related.relationship().mapping().forEach((column, childColumn) -> childLinks.put(childColumn, new Link(row, column, refusal)));
                insertRows(related.insert(), childLinks, rowPath + "." + related.relationship().name() + ".data", true);
            }
            names.add(row);
        }
        return names;
    }

    private int refusal(String message, String path) {
        return refusal(io.joinery.proxy.error.ErrorCode.NOT_SUPPORTED, message, path);
    }

    private int refusal(io.joinery.proxy.error.ErrorCode code, String message, String path) {
        refusals.add(new CompiledQuery.Refusal(code, message, path));
        return refusals.size() - 1;
    }

    /** A table as Hasura names it in messages: {@code author}, or {@code schema.author} outside {@code public}. */
    private static String tableText(TableModel table) {
        return "public".equals(table.name().schema()) ? table.name().name() : table.name().schema() + "." + table.name().name();
    }

    private String insertCte(Write.Insert insert, List<List<PlanValue>> rows, Map<String, Link> links) {
        String name = compiler.nextAlias();
        insertCte(name, insert, rows, links);
        compiler.inserted(insert.table(), name, insert.onConflict() != null && !insert.onConflict().updates().isEmpty());
        return name;
    }

    /**
     * The CTE {@code name} of an insert's rows.
     *
     * <p>Note [Upsert checks]: a row an upsert inserts must meet the insert permission's check, a
     * row it updates the update permission's (as Hasura, which tells them apart the same way). Only
     * the statement knows which is which: Postgres sets {@code xmax} of a row {@code ON CONFLICT DO
     * UPDATE} updated, and leaves it 0 for a row it inserted. So such an insert's {@code RETURNING}
     * gives the written row whole and, beside it, its check computed with the one that applies;
     * the CTE {@code name} expands the row into the table's columns, for the answer to read as any other.
     */
    private void insertCte(String name, Write.Insert insert, List<List<PlanValue>> rows, Map<String, Link> links) {
        if (insert.onConflict() == null || !insert.onConflict().checksUpdates() || rows.isEmpty()) {
            cte(name);
            BoolExp check = insert(insert, rows, links);
            out.sql(")");
            writes.add(new Written(name, insert.table(), check, false));
            return;
        }
        String raw = compiler.nextAlias();
        cte(raw);
        String alias = insertText(insert, rows, links);
        out.sql(" RETURNING ").alias(alias).sql(" AS ").ident(ROW).sql(", CASE WHEN ").column(alias, "xmax").sql(" = 0 THEN coalesce(");
        compiler.boolExp(insert.check(), alias);
        out.sql(", false) ELSE coalesce(");
        compiler.boolExp(insert.onConflict().updateCheck(), alias);
        out.sql(", false) END AS ").ident(CHECKED).sql(")");
        cte(name);
        out.sql("SELECT (").alias(raw).sql(".").ident(ROW).sql(").* FROM ").alias(raw).sql(")");
        writes.add(new Written(raw, insert.table(), BoolExp.TRUE, true));
    }

    /**
     * {@code INSERT INTO t (columns) VALUES …}; a column {@code links} names takes the value of its
     * link where the row gives none (a preset wins).
     */
    private BoolExp insert(Write.Insert insert, List<List<PlanValue>> rows, Map<String, Link> links) {
        if (rows.isEmpty()) {
            TableModel table = insert.table();
            out.sql("SELECT * FROM ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(compiler.nextAlias()).sql(" WHERE false");
            return BoolExp.TRUE;
        }
        insertText(insert, rows, links);
        out.sql(" RETURNING *");
        return insert.check();
    }

    /** The insert's text up to its {@code RETURNING}; answers the alias of its table. */
    private String insertText(Write.Insert insert, List<List<PlanValue>> rows, Map<String, Link> links) {
        TableModel table = insert.table();
        String alias = compiler.nextAlias();
        List<String> linkedOnly = links.keySet().stream()
                .filter(column -> insert.columns().stream().noneMatch(c -> c.column().equals(column))).toList();
        out.sql("INSERT INTO ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias);
        if (insert.bound() != null) {
            boundRows(insert, rows.getFirst());
        } else if (insert.columns().isEmpty() && linkedOnly.isEmpty() && rows.size() == 1) {
            out.sql(" DEFAULT VALUES");
        } else {
            List<ColumnModel> columns = insert.columns().isEmpty() && linkedOnly.isEmpty() ? List.of(table.columns().getFirst()) : insert.columns();
            out.sql(" (");
            for (int i = 0; i < columns.size(); i++) {
                out.sql(i == 0 ? "" : ", ").ident(columns.get(i).column());
            }
            for (int i = 0; i < linkedOnly.size(); i++) {
                out.sql(i == 0 && columns.isEmpty() ? "" : ", ").ident(linkedOnly.get(i));
            }
            out.sql(") VALUES ");
            for (int r = 0; r < rows.size(); r++) {
                out.sql(r == 0 ? "(" : ", (");
                List<PlanValue> row = rows.get(r);
                for (int i = 0; i < columns.size(); i++) {
                    out.sql(i == 0 ? "" : ", ");
                    PlanValue value = i < row.size() ? row.get(i) : null;
                    Link link = links.get(columns.get(i).column());
                    if (value != null) {
                        value(value, columns.get(i));
                    } else if (link != null) {
                        link(link, columns.get(i));
                    } else {
                        out.sql("DEFAULT");
                    }
                }
                for (int i = 0; i < linkedOnly.size(); i++) {
                    out.sql(i == 0 && columns.isEmpty() ? "" : ", ");
                    link(links.get(linkedOnly.get(i)), table.column(linkedOnly.get(i)).orElseThrow());
                }
                out.sql(")");
            }
        }
        onConflict(insert.onConflict(), alias);
        return alias;
    }

    /**
     * {@code ("title", "author_id") SELECT t3."title", $2::text::"int4" FROM jsonb_to_recordset($1::text::"jsonb") AS t3("title" "text")}:
     * rows given as one variable, bound as one parameter, with the presets beside them (Note [Rows
     * bound as one parameter] in {@code engine.BoundRows}). The record's fields take the GraphQL names,
     * which the variable's rows use.
     */
    private void boundRows(Write.Insert insert, List<PlanValue> presets) {
        Write.BoundRows bound = insert.bound();
        String rows = compiler.nextAlias();
        List<ColumnModel> columns = insert.columns();
        out.sql(" (");
        for (int i = 0; i < columns.size(); i++) {
            out.sql(i == 0 ? "" : ", ").ident(columns.get(i).column());
        }
        out.sql(") SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            out.sql(i == 0 ? "" : ", ");
            if (presets.get(i) != null) {
                value(presets.get(i), columns.get(i));
            } else {
                out.column(rows, columns.get(i).graphqlName());
            }
        }
        out.sql(bound.single() ? " FROM jsonb_to_record(" : " FROM jsonb_to_recordset(").param(bound.rows(), BindMode.TEXT, "jsonb")
                .sql(") AS ").alias(rows).sql("(");
        for (int i = 0; i < bound.columns().size(); i++) {
            ColumnModel column = bound.columns().get(i);
            out.sql(i == 0 ? "" : ", ").columnDefinition(column.graphqlName(), column.array() ? column.sqlType() + "[]" : column.sqlType());
        }
        out.sql(")");
    }

    /**
     * {@code (SELECT t2."id" FROM t2)}: the column of the one row a CTE wrote, for {@code column}; with a refusal,
     * {@code coalesce(…, (SELECT CAST('joinery:refused:0:' || count(*) AS int4) FROM t2)::text::"int4")}
     * (Note [Object relationships that write no row]).
     */
    private void link(Link link, ColumnModel column) {
        if (link.refusal() < 0) {
            out.sql("(SELECT ").column(link.cte(), link.column()).sql(" FROM ").alias(link.cte()).sql(")");
            return;
        }
        out.sql("coalesce((SELECT ").column(link.cte(), link.column()).sql(" FROM ").alias(link.cte()).sql("), (SELECT CAST('")
                .sql(CompiledQuery.Refusal.MARKER).sql(Integer.toString(link.refusal())).sql(":' || count(*) AS int4) FROM ")
                .alias(link.cte()).sql(")").cast(column.sqlType()).sql(")");
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

    /** {@code to_json((SELECT json_build_array(count, rows)))::text}: the {@code t_mutation_response} object. */
    private ResultShape response(MutationOutput.Response response, String written) {
        List<ResultShape.Member> members = new ArrayList<>();
        int values = 0;
        out.sql("to_json((SELECT ");
        int opened = out.mark();
        for (MutationOutput.Part part : response.parts()) {
            switch (part) {
                case MutationOutput.Typename typename -> members.add(new ResultShape.Constant(part.alias(), typename.typeName()));
                case MutationOutput.AffectedRows affected -> {
                    out.sql(values++ == 0 ? "" : ", ");
                    affectedRows();
                    members.add(new ResultShape.Read(part.alias(), ResultShape.VALUE));
                }
                case MutationOutput.Returning returning -> {
                    out.sql(values++ == 0 ? "" : ", ").sql("(");
                    members.add(new ResultShape.Read(part.alias(), rows(returning.select(), returning.fields(), written)));
                    out.sql(")");
                }
            }
        }
        SqlCompiler.closeRecord(out, opened, values);
        out.sql("))::text");
        return new ResultShape.Obj(members);
    }

    /** {@code SELECT coalesce(json_agg(json_build_array(…)), '[]') FROM (SELECT … FROM t0 AS tN WHERE filter) AS tN}. */
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

    /** {@code to_json((SELECT json_build_array(…) FROM t0 AS tN WHERE filter LIMIT 1))::text}: the written row, or null. */
    private ResultShape row(MutationOutput.Row row, String written) {
        String alias = compiler.nextAlias();
        out.sql("to_json((SELECT ");
        ResultShape.Obj shape = compiler.object(row.fields(), alias, row.select().redactions());
        out.sql(" FROM ").alias(written).sql(" AS ").alias(alias);
        compiler.where(row.select().where(), alias, null, null);
        out.sql(" LIMIT 1))::text");
        return shape;
    }

    /** {@code (SELECT count(*) FROM t0)}, or the sum over every CTE that writes (Note [Nested inserts]). */
    private void affectedRows() {
        out.sql(writes.size() == 1 ? "" : "(");
        for (int i = 0; i < writes.size(); i++) {
            out.sql(i == 0 ? "" : " + ").sql("(SELECT count(*) FROM ").alias(writes.get(i).cte()).sql(")");
        }
        out.sql(writes.size() == 1 ? "" : ")");
    }

    /**
     * Whether every written row meets its check: {@code (SELECT coalesce(bool_and(…), true) FROM t0 AS tN)},
     * ANDed over the CTEs that write (Note [Nested inserts]); {@code true} when none has a check. When it is
     * false, the statement fails itself with a refusal ({@code permission-error} at {@code path}: Note [Mutations]).
     */
    private void check(String path) {
        if (writes.stream().allMatch(written -> written.check().equals(BoolExp.TRUE) && !written.checked())) {
            out.sql("true");
            return;
        }
        out.sql("CASE WHEN ");
        boolean first = true;
        for (Written written : writes) {
            if (written.check().equals(BoolExp.TRUE) && !written.checked()) {
                continue;
            }
            // A row whose check is NULL (a comparison with NULL) fails it: bool_and would skip it.
            if (written.checked()) {
                out.sql(first ? "" : " AND ").sql("(SELECT coalesce(bool_and(").ident(CHECKED).sql("), true) FROM ").alias(written.cte()).sql(")");
                first = false;
                continue;
            }
            String alias = compiler.nextAlias();
            out.sql(first ? "" : " AND ").sql("(SELECT coalesce(bool_and(coalesce(");
            compiler.boolExp(written.check(), alias);
            out.sql(", false)), true) FROM ").alias(written.cte()).sql(" AS ").alias(alias).sql(")");
            first = false;
        }
        int refusal = refusal(io.joinery.proxy.error.ErrorCode.PERMISSION_ERROR, "check constraint of an insert/update permission has failed", path);
        out.sql(" THEN true ELSE (SELECT CAST('").sql(CompiledQuery.Refusal.MARKER).sql(Integer.toString(refusal))
                .sql(":' || count(*) AS int4) FROM ").alias(writes.getFirst().cte()).sql(") IS NULL END");
    }
}
