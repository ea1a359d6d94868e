package io.joinery.proxy.compile;

import io.joinery.policies.boolexp.ComparisonOperator;
import io.joinery.proxy.plan.AggregatePart;
import io.joinery.proxy.plan.BoolExp;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.MutationOutput;
import io.joinery.proxy.plan.OrderBy;
import io.joinery.proxy.plan.PlanValue;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RemoteSchemaJoin;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.plan.Select;
import io.joinery.proxy.plan.Write;
import io.joinery.proxy.response.FlatRows;
import io.joinery.proxy.response.ResultShape;
import io.joinery.proxy.schema.ColumnModel;
import io.joinery.proxy.schema.ComputedFieldModel;
import io.joinery.proxy.schema.RelationshipModel;
import io.joinery.proxy.schema.ScalarKind;
import io.joinery.proxy.schema.TableModel;
import io.joinery.proxy.sql.BindMode;
import io.joinery.proxy.sql.SqlWriter;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link QueryPlan} into one statement per source, and the {@link ResultShape} of each
 * of its columns:
 * <pre>
 * SELECT (SELECT coalesce(json_agg(json_build_array(t0."id", (SELECT coalesce(json_agg(json_build_array(t1."title")), '[]')
 *           FROM (SELECT * FROM "public"."article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY … LIMIT …) AS t1))), '[]')
 *         FROM (SELECT * FROM "public"."author" AS t0 WHERE … ORDER BY … LIMIT …) AS t0)::text AS "authors", …
 * </pre>
 * Objects are JSON arrays of their values: Postgres encodes each value as JSON, the sidecar writes the keys (Note [Rows
 * from Postgres, JSON from the sidecar] in {@code ResultTranscoder}, Note [Records as JSON arrays]). Each relationship is a
 * correlated subquery (measured faster than LATERAL joins, shared/KNOWN.md). A subquery's rows are
 * aggregated in the order its {@code ORDER BY} sorted them (Note [One sort per select]). A query's
 * root list of integers, strings and booleans is read as plain rows instead, and with
 * {@code JOINERY_FLAT_ROWS=all} any root list and one list at each level below it (Note [Flat rows]).
 */
public final class SqlCompiler {

    final SqlWriter out = new SqlWriter();
    private boolean remoteJoins;
    private final Map<RemoteTableJoin, CompiledQuery.KeyedStatement> keyedJoins = new IdentityHashMap<>();
    private int aliases;
    /** The aliases of the rows whose permission filters are being written, innermost first ({@code ["$", column]}). */
    private final ArrayDeque<String> permissionRoots = new ArrayDeque<>();
    /** The rows where the role sees the subject of the comparison being written; null when it sees it in all (Note [Redacted cells]). */
    private BoolExp redaction;
    /** The first alias of the subqueries of each cell filter written for a row, so that each writing of it is the same text. */
    private final Map<List<Object>, Integer> cellAliases = new java.util.HashMap<>();

    private SqlCompiler() {
    }

    public static CompiledQuery compile(QueryPlan plan) {
        return compile(plan, Flat.ROOT);
    }

    /** Which lists of a query leave Postgres as plain rows (Note [Flat rows]; {@code JOINERY_FLAT_ROWS}). */
    public enum Flat {
        /** none: every list is a JSON value Postgres builds */
        NONE,
        /** a root list whose fields are integers, strings, booleans or __typename: its rows are the root field's objects */
        ROOT,
        /** any root list and, below it, the first list of each level that has a limit */
        ALL
    }

    public static CompiledQuery compile(QueryPlan plan, Flat flatRows) {
        List<String> sources = new ArrayList<>();
        List<CompiledQuery.SourceStatement> statements = new ArrayList<>();
        boolean remoteJoins = false;
        Map<RemoteTableJoin, CompiledQuery.KeyedStatement> tableJoins = new IdentityHashMap<>();
        for (RootField root : plan.roots()) {
            if (root instanceof RootField.Mutation mutation && mutation.write() instanceof Write.UpdateMany many
                    && mutation.output() instanceof MutationOutput.Responses responses) {
                // Note [Many updates] in MutationCompiler: one statement per update, all under the field's alias.
                for (Write.Update update : many.updates()) {
                    SqlCompiler compiler = new SqlCompiler();
                    statements.add(new MutationCompiler(compiler).compile(new RootField.Mutation(mutation.alias(), update, responses.response())));
                    remoteJoins |= compiler.remoteJoins;
                    tableJoins.putAll(compiler.keyedJoins);
                }
                continue;
            }
            if (root instanceof RootField.Mutation mutation) {
                SqlCompiler compiler = new SqlCompiler();
                statements.add(new MutationCompiler(compiler).compile(mutation));
                remoteJoins |= compiler.remoteJoins;
                tableJoins.putAll(compiler.keyedJoins);
                continue;
            }
            String source = source(root);
            if (source != null && !sources.contains(source)) {
                sources.add(source);
            }
        }
        for (String source : sources) {
            CompiledQuery.SourceStatement flat = flatRows == Flat.NONE ? null : flat(plan, source, flatRows == Flat.ALL);
            if (flat != null) {
                statements.add(flat);
                continue;
            }
            SqlCompiler compiler = new SqlCompiler();
            statements.add(compiler.compileSource(plan, source));
            remoteJoins |= compiler.remoteJoins;
            tableJoins.putAll(compiler.keyedJoins);
        }
        for (RootField root : plan.roots()) {
            if (root instanceof RootField.Remote remote) {
                SqlCompiler compiler = new SqlCompiler();
                compiler.keyedInAnswer(remote.tableJoins(), remote.remoteJoins());
                tableJoins.putAll(compiler.keyedJoins);
            }
            if (root instanceof RootField.Action action) {
                SqlCompiler compiler = new SqlCompiler();
                compiler.keyedInAnswer(action.tableJoins(), List.of());
                tableJoins.putAll(compiler.keyedJoins);
            }
        }
        return new CompiledQuery(plan, statements, remoteJoins, tableJoins);
    }

    /** Name of the parameter that carries the keys of a keyed join, one JSON array; not a GraphQL name, so no clash. */
    public static final String KEYS_PARAMETER = "joinery:keys";
    /** The key row's position in the keys parameter. */
    public static final String KEY_INDEX = "__i";

    /**
     * ONE statement for all the objects of a keyed join: the keys arrive as one JSON array
     * ({@code [{"__i": 0, "authorId": 1}, …]}) unpacked by {@code jsonb_to_recordset}, and the
     * target select is the usual correlated subquery against that row set; each key's answer comes
     * back as an {@code [index, value]} pair (in key order, though the reader goes by the index):
     * <pre>
     * SELECT coalesce(json_agg(json_build_array(t0."__i", (SELECT … WHERE t1."id" = t0."authorId"))), '[]')::text
     *   FROM jsonb_to_recordset($1::text::jsonb) AS t0("__i" int8, "authorId" "int4")
     * </pre>
     */
    private CompiledQuery.KeyedStatement keyedJoin(RemoteTableJoin join) {
        String keys = nextAlias();
        out.sql("SELECT coalesce(json_agg(json_build_array(").column(keys, KEY_INDEX).sql(", (");
        ResultShape value = join.relationship().array()
                ? selectMany(join.select(), join.fields(), join.relationship(), keys, null)
                : selectOne(join.select(), join.fields(), join.relationship(), keys);
        out.sql("))), '[]')::text FROM jsonb_to_recordset(")
                .param(new PlanValue.Variable(KEYS_PARAMETER), BindMode.TEXT, "jsonb").sql(") AS ").alias(keys).sql("(")
                .columnDefinition(KEY_INDEX, "int8");
        for (Map.Entry<String, String> pair : join.relationship().mapping().entrySet()) {
            String type = join.select().table().column(pair.getValue()).orElseThrow().sqlType();
            out.sql(", ").columnDefinition(pair.getKey(), type);
        }
        out.sql(")");
        return new CompiledQuery.KeyedStatement(out.build(), new ResultShape.ListOf(new ResultShape.Tuple(List.of(ResultShape.VALUE, value))));
    }

    /** Compiles the tables joined into a remote answer, and into the remote answers joined into it, at any depth. */
    private void keyedInAnswer(List<RemoteTableJoin> tables, List<RemoteSchemaJoin> remotes) {
        tables.forEach(this::keyed);
        remotes.forEach(remote -> keyedInAnswer(remote.field().tableJoins(), remote.field().remoteJoins()));
    }

    /** Compiles a keyed join, and the keyed joins inside it, into this compiler's set. */
    private void keyed(RemoteTableJoin join) {
        SqlCompiler nested = new SqlCompiler();
        keyedJoins.put(join, nested.keyedJoin(join));
        keyedJoins.putAll(nested.keyedJoins);
    }

    /** The source a root field's SQL runs on; null for fields answered without SQL. */
    public static String source(RootField root) {
        return switch (root) {
            case RootField.SelectMany many -> many.select().table().source();
            case RootField.SelectFunction function -> function.select().table().source();
            case RootField.SelectFunctionAggregate aggregate -> aggregate.select().table().source();
            case RootField.SelectByPk byPk -> byPk.select().table().source();
            case RootField.SelectAggregate aggregate -> aggregate.select().table().source();
            case RootField.Mutation mutation -> mutation.write().table().source();
            case RootField.Typename typename -> null;
            case RootField.Introspection introspection -> null;
            case RootField.Remote remote -> null;
            case RootField.Action action -> null;
        };
    }

    /**
     * {@code SELECT (…)::text, to_json((…))::text, …}: a list is already JSON ({@code json_agg}), a
     * single object (by key, an aggregate) is a JSON array that {@code to_json} passes on, or a record
     * of more values that it encodes (Note [Records as JSON arrays]).
     */
    private CompiledQuery.SourceStatement compileSource(QueryPlan plan, String source) {
        List<String> roots = new ArrayList<>();
        List<ResultShape> shapes = new ArrayList<>();
        out.sql("SELECT ");
        for (RootField root : plan.roots()) {
            if (!source.equals(source(root))) {
                continue;
            }
            out.sql(roots.isEmpty() ? "" : ", ");
            ResultShape shape = switch (root) {
                case RootField.SelectMany many -> list(() -> selectMany(many.select(), many.fields(), null, null, null));
                case RootField.SelectFunction function -> list(() -> selectMany(function.select(), function.fields(), null, null, function.rows()));
                case RootField.SelectFunctionAggregate aggregate ->
                        record(() -> selectAggregate(aggregate.select(), aggregate.parts(), null, null, aggregate.rows()));
                case RootField.SelectByPk byPk -> record(() -> selectOne(byPk.select(), byPk.fields(), null, null));
                case RootField.SelectAggregate aggregate -> record(() -> selectAggregate(aggregate.select(), aggregate.parts(), null, null, null));
                case RootField.Mutation mutation -> throw new IllegalStateException("a mutation is a statement of its own");
                case RootField.Typename typename -> throw new IllegalStateException("no SQL for __typename");
                case RootField.Introspection introspection -> throw new IllegalStateException("no SQL for introspection");
                case RootField.Remote remote -> throw new IllegalStateException("no SQL for a remote field");
                case RootField.Action action -> throw new IllegalStateException("no SQL for an action field");
            };
            roots.add(root.alias());
            shapes.add(shape);
        }
        return new CompiledQuery.SourceStatement(source, out.build(), roots, shapes);
    }

    // ---- flat rows

    /*
     * Note [Flat rows]
     * Building JSON is most of what a nested statement costs Postgres: json_agg and json_build_array
     * look up how to encode every value's type at every value, and each nested list is a subplan
     * aggregated on its own (Q2, 20 x 5 x 3: 11.0 M instructions per execution, callgrind, against
     * 9.7 M for PostGraphile's text arrays). The database is shared by the fleet, the sidecars scale
     * with the applications: so a query's root list of integers, strings and booleans leaves
     * Postgres as plain rows (by default, JOINERY_FLAT_ROWS=root), and with JOINERY_FLAT_ROWS=all any
     * root list and one list at each level below it do too: one row per object of the deepest level
     * reached, the levels joined by LEFT JOIN LATERAL in the order they are read, and the sidecar
     * nests them (FlatRows):
     *
     *   SELECT t0."id", t0."name", t1."id", t1."title", t2."id", t2."body"
     *     FROM (SELECT … FROM "author" AS t0 ORDER BY … LIMIT $1) AS t0
     *     LEFT JOIN LATERAL (SELECT … FROM "article" AS t1 WHERE t1."author_id" = t0."id" ORDER BY … LIMIT $2) AS t1 ON true
     *     LEFT JOIN LATERAL (SELECT … FROM "comment" AS t2 WHERE t2."article_id" = t1."id" ORDER BY … LIMIT $3) AS t2 ON true
     *
     * Q2's statement: 9.04 M instructions against 11.0 (-18%), below PostGraphile's 9.72.
     * Integers, strings and booleans leave Postgres as themselves and the sidecar writes their JSON;
     * any other value (a timestamp, a numeric, a json column, a nested select) as the JSON text
     * Postgres makes of it, as before. Which rows go flat:
     * - a query's root list that is the only root field of its source (subscriptions and mutations,
     *   and every keyed join, keep the nested statement: LiveQueries and the joins read one value);
     * - with all, below it, the first array relationship of a level that has a limit (the caller's or the
     *   role's: a parent's values are repeated on each row of its descendants, so the repetition
     *   must be bounded; the rows of a list without a limit stay a nested value, built by Postgres),
     *   when the level's table has a primary key
     *   (a row starts a new object of a level when its key changes: a parent's children are distinct
     *   rows) and its other fields are columns read as they are (no redacted cell, no JSON path) or
     *   __typename: a parent's values are repeated on every row of its descendants, so nothing that
     *   costs more than reading a column may sit there. The primary key (read once, when it is also
     *   selected) is null in a row where the level is absent. The deepest level, when it has more
     *   than columns (nested selects, computed fields, redacted cells) or no primary key, computes
     *   its values in a LATERAL select of its own, SELECT true AS "p", <values> AS "0", … FROM (…),
     *   so that each runs once per object, and "p" is null where it is absent (that select costs
     *   Postgres 0.6 M instructions at Q2, so a deepest level of columns goes without it);
     * - nothing with a remote join, whose keys the join stage finds in the nested value;
     * - an order that a distinct_on forces the aggregate to sort again (Note [One sort per select])
     *   keeps the nested statement.
     * The order of the rows is the order the levels were read: each LATERAL is a parameterized
     * subquery with a LIMIT, which Postgres can only run as the inner side of a nested loop over the
     * rows before it, so each parent's children follow it, sorted, and no sort over the whole result
     * is paid (one cost 0.8 M instructions at Q2). A subquery without a LIMIT or an ORDER BY would be
     * pulled up and joined by hash or merge, its rows in any order: a parent's children apart.
     *
     * Why the levels below the root are flat only when asked (all): the driver decodes every value
     * of every row, a parent's too, on the databases' I/O thread (Q2: 300 rows of 7 values instead
     * of one JSON text of 940 values). Postgres' instructions per Q2 request fell from 10.99 M to
     * 9.13 M (callgrind of the backend serving a sidecar, 100 requests), but its CPU time did not
     * follow on two shared cores (1,991 against 1,991 us per request, scripts/side-by-side.sh, 8
     * rounds), while the sidecar's rose from 436 to 603 us and Q2's rate fell 6%. A root list alone
     * repeats nothing: Q1 (10 rows of two columns) gained 12% of its rate and Postgres spent 26% less
     * per request (6 rounds); but a root list whose rows carry nested values (each a JSON text the
     * sidecar parses on its own, 20 parsers at Q2 instead of one) cost Q2 3% of its rate, so by
     * default only a root list of integers, strings and booleans is read flat. A fleet whose
     * database is its bottleneck, on hosts of its own, may choose all.
     */

    /** A level of a flat statement: its select, fields and relationship to the level above, and the index of its child level's field (-1: the deepest). */
    private record FlatLevel(Select select, List<RowField> fields, RelationshipModel relationship, int child) {
    }

    /** The flat statement of a source's root field, or null when its rows are not read flat (Note [Flat rows]). */
    private static CompiledQuery.SourceStatement flat(QueryPlan plan, String source, boolean deep) {
        if (!"query".equals(plan.operationType())) {
            return null;
        }
        List<RootField> roots = plan.roots().stream().filter(root -> source.equals(source(root))).toList();
        if (roots.size() != 1 || !(roots.getFirst() instanceof RootField.SelectMany many) || !sortedOnce(many.select())) {
            return null;
        }
        if (!deep && !many.fields().stream().allMatch(field -> field instanceof RowField.Typename
                || field instanceof RowField.Column column && column.path() == null && nativeValue(column.column()))) {
            return null;
        }
        List<FlatLevel> levels = new ArrayList<>();
        Select select = many.select();
        List<RowField> fields = many.fields();
        RelationshipModel relationship = null;
        while (true) {
            int child = deep ? flatChild(select, fields) : -1;
            levels.add(new FlatLevel(select, fields, relationship, child));
            if (child < 0) {
                break;
            }
            RowField.ArrayRelation next = (RowField.ArrayRelation) fields.get(child);
            select = next.select();
            fields = next.fields();
            relationship = next.relationship();
        }
        if (levels.getLast().fields().stream().anyMatch(field -> field instanceof RowField.SourceJoin || field instanceof RowField.RemoteJoin)) {
            return null;
        }
        SqlCompiler compiler = new SqlCompiler();
        CompiledQuery.SourceStatement statement = compiler.compileFlat(source, many.alias(), levels);
        return compiler.remoteJoins ? null : statement;
    }

    /** Whether the rows of {@code select} are aggregated in the order its base sorts them (Note [One sort per select]). */
    private static boolean sortedOnce(Select select) {
        return select.orderBy().isEmpty() || unorderedDistinct(select).isEmpty();
    }

    /** The index of the field whose rows are a level's child level, or -1 (Note [Flat rows]). */
    private static int flatChild(Select select, List<RowField> fields) {
        if (select.table().primaryKey().isEmpty()) {
            return -1;
        }
        int child = -1;
        for (int i = 0; i < fields.size(); i++) {
            boolean found = child >= 0;
            switch (fields.get(i)) {
                case RowField.Typename typename -> {
                }
                case RowField.Column column when column.path() == null && visible(select.redactions().get(column.column().column())) -> {
                }
                case RowField.ArrayRelation relation when !found && sortedOnce(relation.select()) && bounded(relation.select()) -> child = i;
                default -> {
                    return -1;
                }
            }
        }
        return child;
    }

    /**
     * Whether a parent's children are at most a number the query or the role names (a limit): a
     * parent's values are repeated on each of its descendants' rows, so a list without one stays a
     * nested value of its parent's row (Note [Flat rows]).
     */
    private static boolean bounded(Select select) {
        return select.limit() != null || select.permissionLimit() != null;
    }

    private static boolean visible(BoolExp redaction) {
        return redaction == null || redaction.equals(BoolExp.TRUE);
    }

    /**
     * Whether a level's values are only what reading a row gives (columns as they are, {@code
     * __typename}) and its table has a primary key: it may be read without a LATERAL select of its own.
     */
    private static boolean plain(Select select, List<RowField> fields) {
        if (select.table().primaryKey().isEmpty()) {
            return false;
        }
        for (RowField field : fields) {
            boolean plain = switch (field) {
                case RowField.Typename typename -> true;
                case RowField.Column column -> column.path() == null && visible(select.redactions().get(column.column().column()));
                default -> false;
            };
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    /** The row's column that already holds {@code column} as itself among a level's members, or -1. */
    private static int readAs(List<RowField> fields, List<FlatRows.Member> members, String column) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i) instanceof RowField.Column read && read.path() == null && read.column().column().equals(column)
                    && members.get(i) instanceof FlatRows.Native value) {
                return value.column();
            }
        }
        return -1;
    }

    /** Integers, strings and booleans: sent by Postgres as themselves and written as JSON by the sidecar ({@code FlatRows}). */
    private static boolean nativeValue(ColumnModel column) {
        if (column.array() || column.enumType() != null) {
            return false;
        }
        return switch (column.sqlType()) {
            case "int2", "int4", "int8", "text", "varchar", "bool" -> true;
            default -> false;
        };
    }

    private CompiledQuery.SourceStatement compileFlat(String source, String rootAlias, List<FlatLevel> spine) {
        int depth = spine.size();
        List<String> aliases = new ArrayList<>();
        for (int k = 0; k < depth; k++) {
            aliases.add(nextAlias());
        }
        FlatLevel deepest = spine.getLast();
        boolean wrapped = depth > 1 && !plain(deepest.select(), deepest.fields());
        String wrapper = wrapped ? nextAlias() : null;
        List<FlatRows.Level> levels = new ArrayList<>();
        int[] columns = {0};
        out.sql("SELECT ");
        for (int k = 0; k < depth; k++) {
            FlatLevel level = spine.get(k);
            String alias = aliases.get(k);
            if (wrapped && k == depth - 1) {
                break;
            }
            List<FlatRows.Member> members = flatValues(level, alias, columns, false);
            int[] keys = new int[0];
            if (level.child() >= 0 || k > 0) {
                // a level's key tells its objects apart, and is null in a row where the level is absent
                List<String> primaryKey = level.select().table().primaryKey();
                keys = new int[primaryKey.size()];
                for (int i = 0; i < primaryKey.size(); i++) {
                    String key = primaryKey.get(i);
                    ColumnModel column = level.select().table().column(key).orElseThrow();
                    int read = nativeValue(column) ? readAs(level.fields(), members, key) : -1;
                    if (read >= 0) {
                        keys[i] = read;
                        continue;
                    }
                    out.sql(columns[0] == 0 ? "" : ", ").column(alias, key);
                    if (!nativeValue(column)) {
                        out.sql("::text");
                    }
                    keys[i] = columns[0]++;
                }
            }
            // a level below the root is absent from a row (its parent has no children) when its key is null
            levels.add(new FlatRows.Level(members, keys, k == 0 ? -1 : keys[0]));
        }
        if (columns[0] == 0) {
            out.sql("1");
        }
        int wrapperFirst = columns[0];
        if (wrapped) {
            FlatLevel last = spine.getLast();
            out.sql(", ").alias(wrapper).sql(".").ident("p");
            long values = last.fields().stream().filter(field -> !(field instanceof RowField.Typename)).count();
            for (int i = 0; i < values; i++) {
                out.sql(", ").alias(wrapper).sql(".").ident(Integer.toString(i));
            }
        }
        // the keys of each level with a child are read by the child's join: its base selects them
        for (int k = 0; k + 1 < depth; k++) {
            for (String parentColumn : spine.get(k + 1).relationship().mapping().keySet()) {
                out.read(aliases.get(k), parentColumn);
            }
        }
        out.sql(" FROM (");
        base(spine.getFirst().select(), aliases.getFirst(), null, null, null, true);
        out.sql(") AS ").alias(aliases.getFirst());
        for (int k = 1; k < depth; k++) {
            FlatLevel level = spine.get(k);
            String alias = aliases.get(k);
            out.sql(" LEFT JOIN LATERAL (");
            if (wrapped && k == depth - 1) {
                out.sql("SELECT true AS ").ident("p");
                int[] inside = {wrapperFirst + 1};
                List<FlatRows.Member> members = flatValues(level, alias, inside, true);
                out.sql(" FROM (");
                base(level.select(), alias, level.relationship(), aliases.get(k - 1), null, true);
                out.sql(") AS ").alias(alias).sql(") AS ").alias(wrapper).sql(" ON true");
                levels.add(new FlatRows.Level(members, new int[0], wrapperFirst));
            } else {
                base(level.select(), alias, level.relationship(), aliases.get(k - 1), null, true);
                out.sql(") AS ").alias(alias).sql(" ON true");
            }
        }
        return new CompiledQuery.SourceStatement(source, out.build(), List.of(rootAlias), List.of(ResultShape.VALUE), List.of(),
                new FlatRows(levels));
    }

    /**
     * Writes a level's values as items of a select list, from column {@code columns[0]} on (named
     * {@code "0"}, {@code "1"}, … within the level's own select when {@code named}), and returns its
     * members; the child level's field is a member without a value.
     */
    private List<FlatRows.Member> flatValues(FlatLevel level, String alias, int[] columns, boolean named) {
        List<FlatRows.Member> members = new ArrayList<>();
        Map<String, BoolExp> redactions = level.select().redactions();
        int first = columns[0];
        for (int i = 0; i < level.fields().size(); i++) {
            RowField field = level.fields().get(i);
            if (field instanceof RowField.Typename typename) {
                members.add(new FlatRows.Constant(field.alias(), typename.typeName()));
                continue;
            }
            if (i == level.child()) {
                members.add(new FlatRows.Child(field.alias()));
                continue;
            }
            int column = columns[0]++;
            out.sql(column == 0 && !named ? "" : ", ");
            switch (field) {
                case RowField.Column value when value.path() == null && nativeValue(value.column()) -> {
                    cell(redactions, value.column().column(), alias, () -> out.column(alias, value.column().column()));
                    members.add(new FlatRows.Native(field.alias(), column));
                }
                case RowField.Column value -> {
                    out.sql("to_json(");
                    cell(redactions, value.column().column(), alias, () -> columnValue(value, alias));
                    out.sql(")::text");
                    members.add(new FlatRows.Json(field.alias(), column, ResultShape.VALUE));
                }
                case RowField.Computed computed -> {
                    out.sql("to_json(");
                    cell(redactions, computed.field().name(), alias, () -> functionCall(computed.field(), computed.arguments(), alias));
                    out.sql(")::text");
                    members.add(new FlatRows.Json(field.alias(), column, ResultShape.VALUE));
                }
                case RowField.ObjectRelation relation -> members.add(new FlatRows.Json(field.alias(), column,
                        record(() -> selectOne(relation.select(), relation.fields(), relation.relationship(), alias))));
                case RowField.ArrayRelation relation -> members.add(new FlatRows.Json(field.alias(), column,
                        list(() -> selectMany(relation.select(), relation.fields(), relation.relationship(), alias, null))));
                case RowField.ArrayAggregate aggregate -> members.add(new FlatRows.Json(field.alias(), column,
                        record(() -> selectAggregate(aggregate.select(), aggregate.parts(), aggregate.relationship(), alias, null))));
                case RowField.ComputedRows computed -> members.add(new FlatRows.Json(field.alias(), column,
                        list(() -> selectMany(computed.select(), computed.fields(), null, alias, computed))));
                case RowField.Typename typename -> throw new IllegalStateException("a constant");
                case RowField.SourceJoin join -> throw new IllegalStateException("a remote join is not read flat");
                case RowField.RemoteJoin join -> throw new IllegalStateException("a remote join is not read flat");
            }
            if (named) {
                out.sql(" AS ").ident(Integer.toString(column - first));
            }
        }
        return members;
    }

    private ResultShape list(java.util.function.Supplier<ResultShape> select) {
        out.sql("(");
        ResultShape shape = select.get();
        out.sql(")::text");
        return shape;
    }

    private ResultShape record(java.util.function.Supplier<ResultShape> select) {
        out.sql("to_json((");
        ResultShape shape = select.get();
        out.sql("))::text");
        return shape;
    }

    /** The CTEs of a nested insert that wrote rows of each table, with whether they upserted (Note [Nested inserts] in {@link MutationCompiler}). */
    private final Map<io.joinery.admin.metadata.QualifiedName, List<Map.Entry<String, Boolean>>> inserted = new java.util.HashMap<>();

    void inserted(TableModel table, String cte, boolean upserted) {
        inserted.computeIfAbsent(table.name(), name -> new ArrayList<>()).add(Map.entry(cte, upserted));
    }

    /**
     * The table a select reads: the table itself, or, in a nested insert's statement, the table with
     * the rows the statement inserted into it (an upserted row in place of its old version).
     */
    private void from(TableModel table) {
        List<Map.Entry<String, Boolean>> ctes = inserted.get(table.name());
        if (ctes == null) {
            out.table(table.name().schema(), table.name().name());
            return;
        }
        String alias = nextAlias();
        out.sql("(SELECT * FROM ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(alias);
        String junction = " WHERE ";
        for (Map.Entry<String, Boolean> cte : table.primaryKey().isEmpty() ? List.<Map.Entry<String, Boolean>>of() : ctes) {
            if (!cte.getValue()) {
                continue;
            }
            out.sql(junction).sql("NOT EXISTS (SELECT 1 FROM ").alias(cte.getKey()).sql(" WHERE ");
            for (int i = 0; i < table.primaryKey().size(); i++) {
                String key = table.primaryKey().get(i);
                out.sql(i == 0 ? "" : " AND ").column(cte.getKey(), key).sql(" = ").column(alias, key);
            }
            out.sql(")");
            junction = " AND ";
        }
        for (Map.Entry<String, Boolean> cte : ctes) {
            out.sql(" UNION ALL SELECT * FROM ").alias(cte.getKey());
        }
        out.sql(")");
    }

    String nextAlias() {
        return "t" + aliases++;
    }

    // ---- selects

    /**
     * {@code SELECT coalesce(json_agg(json_build_array(…)), '[]') FROM (base) AS tN}. With {@code computed}, the
     * rows come from its function called with the {@code parent} row instead of the table.
     */
    private ResultShape.ListOf selectMany(Select select, List<RowField> fields, RelationshipModel relationship, String parent,
                                          RowField.ComputedRows computed) {
        String alias = nextAlias();
        out.sql("SELECT coalesce(json_agg(");
        ResultShape.Obj row = object(fields, alias, select.redactions());
        aggregateOrder(select, alias);
        out.sql("), '[]') FROM (");
        base(select, alias, relationship, parent, computed, true);
        out.sql(") AS ").alias(alias);
        return new ResultShape.ListOf(row);
    }

    /** One row or null: {@code SELECT json_build_array(…) FROM table AS tN WHERE … LIMIT 1}. */
    private ResultShape.Obj selectOne(Select select, List<RowField> fields, RelationshipModel relationship, String parent) {
        String alias = nextAlias();
        out.sql("SELECT ");
        ResultShape.Obj row = object(fields, alias, select.redactions());
        out.sql(" FROM ");
        from(select.table());
        out.sql(" AS ").alias(alias);
        where(select.where(), alias, relationship, parent);
        out.sql(" LIMIT 1");
        return row;
    }

    /**
     * {@code SELECT json_build_array(parts…) FROM (base) AS tN}. With {@code computed}, the rows come from its
     * function instead of the table (a tracked function's aggregate). A role's row limit caps the
     * {@code nodes}, not the aggregates (as in Hasura: {@code count} counts every row the role may
     * see): with one, the nodes are a select of their own beside the aggregates.
     */
    private ResultShape.Obj selectAggregate(Select select, List<AggregatePart> parts, RelationshipModel relationship, String parent,
                                            RowField.ComputedRows computed) {
        boolean aggregated = parts.stream().anyMatch(part -> part instanceof AggregatePart.Aggregate);
        boolean apartNodes = aggregated && select.permissionLimit() != null;
        Select aggregates = apartNodes
                ? new Select(select.table(), select.where(), select.orderBy(), select.distinctOn(), select.limit(), select.offset(), null,
                        select.redactions())
                : select;
        String alias = nextAlias();
        out.sql("SELECT ");
        Members members = new Members();
        for (AggregatePart part : parts) {
            switch (part) {
                case AggregatePart.Typename typename -> members.constant(part.alias(), typename.typeName());
                case AggregatePart.Nodes nodes when apartNodes -> {
                    members.read();
                    out.sql("(");
                    members.add(part.alias(), selectMany(select, nodes.fields(), relationship, parent, computed));
                    out.sql(")");
                }
                case AggregatePart.Nodes nodes -> {
                    members.read();
                    out.sql("coalesce(json_agg(");
                    ResultShape.Obj row = object(nodes.fields(), alias, select.redactions());
                    aggregateOrder(select, alias);
                    out.sql("), '[]')");
                    members.add(part.alias(), new ResultShape.ListOf(row));
                }
                case AggregatePart.Aggregate aggregate -> {
                    members.read();
                    members.add(part.alias(), aggregateFunctions(aggregate.functions(), alias, select.redactions()));
                }
            }
        }
        ResultShape.Obj shape = members.close();
        out.sql(" FROM (");
        base(aggregates, alias, relationship, parent, computed, !apartNodes && parts.stream().anyMatch(part -> part instanceof AggregatePart.Nodes));
        out.sql(") AS ").alias(alias);
        return shape;
    }

    /** {@code json_build_array(count(*), json_build_array(max(t0."x"), …), …)}; each column's value as the role sees it ({@code redactions}). */
    private ResultShape.Obj aggregateFunctions(List<AggregatePart.AggregateFunction> functions, String alias, Map<String, BoolExp> redactions) {
        Members members = new Members();
        for (AggregatePart.AggregateFunction function : functions) {
            switch (function) {
                case AggregatePart.AggregateTypename typename -> members.constant(function.alias(), typename.typeName());
                case AggregatePart.Count count -> {
                    members.read();
                    count(count, alias, redactions);
                    members.add(function.alias(), ResultShape.VALUE);
                }
                case AggregatePart.ColumnsOp op -> {
                    members.read();
                    Members columns = new Members();
                    for (AggregatePart.OpColumn column : op.columns()) {
                        if (column.column() == null) {
                            columns.constant(column.alias(), op.typeName());
                        } else {
                            columns.read();
                            out.sql(aggregateFunction(op.op())).sql("(");
                            cell(redactions, column.column().column(), alias, () -> out.column(alias, column.column().column()));
                            out.sql(")");
                            columns.add(column.alias(), ResultShape.VALUE);
                        }
                    }
                    members.add(function.alias(), columns.close());
                }
            }
        }
        return members.close();
    }

    /**
     * The members of an object being written, and the commas between the record's values; made
     * where the record starts, which {@link #close} opens once its values are counted (Note [Records
     * as JSON arrays]).
     */
    private final class Members {
        private final List<ResultShape.Member> members = new ArrayList<>();
        private int values;
        private final int opened = out.mark();

        /** Before the SQL of the record's next value. */
        void read() {
            out.sql(values++ == 0 ? "" : ", ");
        }

        void add(String key, ResultShape value) {
            members.add(new ResultShape.Read(key, value));
        }

        void constant(String key, String text) {
            members.add(new ResultShape.Constant(key, text));
        }

        /** Writes the record around its values and returns its shape. */
        ResultShape.Obj close() {
            closeRecord(out, opened, values);
            return new ResultShape.Obj(members);
        }
    }

    private void count(AggregatePart.Count count, String alias, Map<String, BoolExp> redactions) {
        out.sql("count(");
        if (count.columns().isEmpty()) {
            if (count.distinct()) {
                out.sql("DISTINCT ").wholeRow(alias).sql(".*");
            } else {
                out.sql("*");
            }
        } else {
            out.sql(count.distinct() ? "DISTINCT " : "");
            if (count.columns().size() > 1) {
                out.sql("(");
            }
            for (int i = 0; i < count.columns().size(); i++) {
                String column = count.columns().get(i).column();
                out.sql(i == 0 ? "" : ", ");
                cell(redactions, column, alias, () -> out.column(alias, column));
            }
            if (count.columns().size() > 1) {
                out.sql(")");
            }
        }
        out.sql(")");
    }

    private static String aggregateFunction(String op) {
        return switch (op) {
            case "avg", "max", "min", "sum", "stddev", "stddev_pop", "stddev_samp", "var_pop", "var_samp", "variance" -> op;
            default -> throw new IllegalArgumentException("unknown aggregate " + op);
        };
    }

    /**
     * {@code SELECT [DISTINCT ON (…)] columns FROM table AS tN WHERE join AND filter ORDER BY … LIMIT … OFFSET …};
     * sorted when the order decides which rows (a page, {@code distinct_on}) or the rows are {@code listed}.
     *
     * <p>Note [One sort per select]: the rows are sorted once, here, and aggregated in that order:
     * {@code json_agg} over a subquery that has an {@code ORDER BY} and nothing else in its
     * {@code FROM} receives the rows as sorted (Postgres' documented "sorted subquery"; no join or
     * grouping can reorder them). Sorting again inside {@code json_agg(… ORDER BY …)} cost Postgres
     * a second sort per select, 10–15% of a nested statement's time. The one exception is
     * {@code distinct_on} with an {@code order_by} that does not start with its columns: the base
     * must sort by the distinct columns first, so the aggregate sorts again by the caller's order.
     */
    private void base(Select select, String alias, RelationshipModel relationship, String parent, RowField.ComputedRows computed,
                      boolean listed) {
        TableModel table = select.table();
        List<String> columns = out.columnsRead(alias);
        out.sql("SELECT ");
        if (!select.distinctOn().isEmpty()) {
            out.sql("DISTINCT ON (");
            for (int i = 0; i < select.distinctOn().size(); i++) {
                String column = select.distinctOn().get(i).column();
                out.sql(i == 0 ? "" : ", ");
                cell(select.redactions(), column, alias, () -> out.column(alias, column));
            }
            out.sql(") ");
        }
        selected(columns, alias);
        out.sql(" FROM ");
        if (computed == null) {
            from(table);
        } else {
            functionCall(computed.field(), computed.arguments(), parent);
        }
        out.sql(" AS ").alias(alias);
        where(select.where(), alias, relationship, parent);
        boolean paged = select.limit() != null || select.offset() != null || select.permissionLimit() != null;
        if (!select.distinctOn().isEmpty() || (!select.orderBy().isEmpty() && (paged || listed))) {
            baseOrder(select, alias);
        }
        limit(select);
    }

    /**
     * The columns the select's rows are read for outside it (values, keys of nested selects and
     * joins, aggregates): only those, so that a sort carries no more than it must; {@code *} when
     * the whole row is read, {@code 1} when no column is.
     */
    void selected(List<String> columns, String alias) {
        if (columns == null) {
            out.sql("*");
        } else if (columns.isEmpty()) {
            out.sql("1");
        } else {
            for (int i = 0; i < columns.size(); i++) {
                out.sql(i == 0 ? "" : ", ").column(alias, columns.get(i));
            }
        }
    }

    private void baseOrder(Select select, String alias) {
        out.sql(" ORDER BY ");
        boolean first = true;
        for (ColumnModel column : unorderedDistinct(select)) {
            out.sql(first ? "" : ", ");
            cell(select.redactions(), column.column(), alias, () -> out.column(alias, column.column()));
            first = false;
        }
        for (OrderBy term : select.orderBy()) {
            out.sql(first ? "" : ", ");
            first = false;
            orderTerm(term, alias);
        }
    }

    /** The {@code distinct_on} columns that the {@code order_by} does not order by. */
    private static List<ColumnModel> unorderedDistinct(Select select) {
        List<ColumnModel> unordered = new ArrayList<>();
        for (ColumnModel column : select.distinctOn()) {
            boolean ordered = select.orderBy().stream().anyMatch(o -> o.path().isEmpty()
                    && o.target() instanceof OrderBy.ByColumn(ColumnModel c) && c.equals(column));
            if (!ordered) {
                unordered.add(column);
            }
        }
        return unordered;
    }

    /** The aggregate's own sort, only where the base's sort is not the caller's order; see Note [One sort per select]. */
    private void aggregateOrder(Select select, String alias) {
        if (select.orderBy().isEmpty() || unorderedDistinct(select).isEmpty()) {
            return;
        }
        out.sql(" ORDER BY ");
        for (int i = 0; i < select.orderBy().size(); i++) {
            out.sql(i == 0 ? "" : ", ");
            orderTerm(select.orderBy().get(i), alias);
        }
    }

    private void limit(Select select) {
        if (select.limit() != null && select.permissionLimit() != null) {
            out.sql(" LIMIT least(").param(select.limit(), BindMode.TEXT, "int8").sql(", ")
                    .param(new PlanValue.Literal(select.permissionLimit()), BindMode.TEXT, "int8").sql(")");
        } else if (select.limit() != null) {
            out.sql(" LIMIT ").param(select.limit(), BindMode.TEXT, "int8");
        } else if (select.permissionLimit() != null) {
            out.sql(" LIMIT ").param(new PlanValue.Literal(select.permissionLimit()), BindMode.TEXT, "int8");
        }
        if (select.offset() != null) {
            out.sql(" OFFSET ").param(select.offset(), BindMode.TEXT, "int8");
        }
    }

    /*
     * Note [Records as JSON arrays]
     * An object's values leave Postgres as a JSON array, json_build_array(v1, v2, …), not as the
     * JSON of a record, row(v1, v2, …), which to_json and json_agg write as {"f1": v1, "f2": v2, …}.
     * Postgres encodes every value the same way in both (datum_to_json, by the value's type), but
     * the array carries no keys: Q2's statement answers 14.1 KB instead of 19.4 KB, which the driver
     * decodes and the transcoder parses, and Postgres spends a little less too (10.49 M instructions
     * per Q2 statement against 10.56 M, callgrind, the limits as literals). json_build_array takes at
     * most 100 arguments (Postgres' FUNC_MAX_ARGS), so a record of more values stays a row(…); the
     * transcoder reads both.
     */

    /** json_build_array's limit: Postgres' FUNC_MAX_ARGS. */
    static final int MAX_ARRAY_VALUES = 100;

    /**
     * Writes {@code json_build_array(…)} around the {@code values} values written since {@code opened}
     * ({@link SqlWriter#mark}), or {@code row(…)} past {@link #MAX_ARRAY_VALUES} of them (Note [Records as
     * JSON arrays]).
     */
    static void closeRecord(SqlWriter out, int opened, int values) {
        out.insert(opened, values <= MAX_ARRAY_VALUES ? "json_build_array(" : "row(").sql(")");
    }

    // ---- objects

    /**
     * {@code json_build_array(value, …)}: the values of the fields Postgres answers, in order; {@code __typename}
     * and the places of remote joins are constants of the shape, and the phantom keys of the joins
     * come last (Note [Phantom join keys] in {@link JoinSpec}).
     */
    ResultShape.Obj object(List<RowField> fields, String alias, Map<String, BoolExp> redactions) {
        Members members = new Members();
        for (RowField field : fields) {
            switch (field) {
                case RowField.Typename typename -> members.constant(field.alias(), typename.typeName());
                case RowField.SourceJoin join -> {
                    members.constant(field.alias(), null);
                    remoteJoins = true;
                    keyed(join.join());
                }
                case RowField.RemoteJoin remote -> {
                    members.constant(field.alias(), null);
                    remoteJoins = true;
                    keyedInAnswer(remote.tableJoins(), remote.remoteJoins());
                }
                case RowField.Column column -> {
                    members.read();
                    cell(redactions, column.column().column(), alias, () -> columnValue(column, alias));
                    members.add(field.alias(), ResultShape.VALUE);
                }
                case RowField.Computed computed -> {
                    members.read();
                    cell(redactions, computed.field().name(), alias, () -> functionCall(computed.field(), computed.arguments(), alias));
                    members.add(field.alias(), ResultShape.VALUE);
                }
                case RowField.ObjectRelation relation -> {
                    members.read();
                    out.sql("(");
                    members.add(field.alias(), selectOne(relation.select(), relation.fields(), relation.relationship(), alias));
                    out.sql(")");
                }
                case RowField.ArrayRelation relation -> {
                    members.read();
                    out.sql("(");
                    members.add(field.alias(), selectMany(relation.select(), relation.fields(), relation.relationship(), alias, null));
                    out.sql(")");
                }
                case RowField.ArrayAggregate aggregate -> {
                    members.read();
                    out.sql("(");
                    members.add(field.alias(), selectAggregate(aggregate.select(), aggregate.parts(), aggregate.relationship(), alias, null));
                    out.sql(")");
                }
                case RowField.ComputedRows computed -> {
                    members.read();
                    out.sql("(");
                    members.add(field.alias(), selectMany(computed.select(), computed.fields(), null, alias, computed));
                    out.sql(")");
                }
            }
        }
        phantomKeys(fields, alias, members, redactions);
        return members.close();
    }

    /** A column's value as read for the answer: the column (a geometry as GeoJSON), or the part its JSON path names. */
    private void columnValue(RowField.Column column, String alias) {
        if (column.path() == null) {
            new ExtensionTypeSql(out).value(alias, column.column());
        } else {
            out.sql("(").column(alias, column.column().column()).sql(" #> ").param(column.path(), BindMode.TEXT_ARRAY, null).sql(")");
        }
    }

    /**
     * {@code value}, or {@code (CASE WHEN <filter> THEN value ELSE NULL END)} when the role sees {@code field} of the row
     * {@code alias} only where {@code redactions} gives a filter for it (Note [Redacted cells] in {@code schema.InheritedRoles}).
     */
    private void cell(Map<String, BoolExp> redactions, String field, String alias, Runnable value) {
        cell(redactions.get(field), alias, value);
    }

    private void cell(BoolExp visible, String alias, Runnable value) {
        if (visible == null || visible.equals(BoolExp.TRUE)) {
            value.run();
            return;
        }
        BoolExp outer = redaction;
        redaction = null;
        out.sql("(CASE WHEN ");
        // DISTINCT ON (CASE …) must be the text of ORDER BY's CASE: a filter's subqueries get the same aliases each time.
        int next = aliases;
        aliases = cellAliases.computeIfAbsent(List.of(visible, alias), key -> next);
        boolExp(visible, alias);
        aliases = Math.max(next, aliases);
        out.sql(" THEN ");
        value.run();
        out.sql(" ELSE NULL END)");
        redaction = outer;
    }

    /** See Note [Phantom join keys] in {@link JoinSpec}; a key is sent as the role sees it (Note [Redacted cells]). */
    private void phantomKeys(List<RowField> fields, String alias, Members members, Map<String, BoolExp> redactions) {
        for (RowField field : fields) {
            if (field instanceof RowField.SourceJoin(String fieldAlias, RemoteTableJoin join)) {
                List<String> columns = List.copyOf(join.relationship().mapping().keySet());
                for (int i = 0; i < columns.size(); i++) {
                    members.read();
                    String column = columns.get(i);
                    cell(redactions, column, alias, () -> out.column(alias, column));
                    members.add(join.keyAliases().get(i), ResultShape.VALUE);
                }
            }
            if (field instanceof RowField.RemoteJoin(String fieldAlias, JoinSpec join, var tableJoins, var remoteJoins)) {
                members.read();
                out.sql("json_build_array(");
                for (int i = 0; i < join.keyColumns().size(); i++) {
                    String column = join.keyColumns().get(i);
                    ComputedFieldModel computed = join.computedKeys().get(column);
                    out.sql(i == 0 ? "" : ", ");
                    cell(redactions, column, alias, () -> {
                        if (computed == null) {
                            out.column(alias, column);
                        } else {
                            functionCall(computed, Map.of(), alias);
                        }
                    });
                }
                out.sql(")");
                members.add(join.phantomKey(), ResultShape.VALUE);
            }
        }
    }

    private void functionCall(ComputedFieldModel computed, Map<String, PlanValue> arguments, String row) {
        out.table(computed.function().schema(), computed.function().name()).sql("(");
        boolean named = false;
        boolean first = true;
        for (ComputedFieldModel.Argument argument : computed.arguments()) {
            if (argument.kind() == ComputedFieldModel.ArgumentKind.INPUT && !arguments.containsKey(argument.name())) {
                named = true;
                continue;
            }
            out.sql(first ? "" : ", ");
            first = false;
            if (named) {
                out.ident(argument.name()).sql(" => ");
            }
            switch (argument.kind()) {
                case ROW -> out.wholeRow(row).sql("::").table(computed.rowType().schema(), computed.rowType().name());
                case SESSION -> out.param(new PlanValue.SessionVariables(), BindMode.TEXT, argument.value().sqlType());
                case INPUT -> out.param(arguments.get(argument.name()),
                        argument.value().kind().json() ? BindMode.JSON : BindMode.TEXT, argument.value().sqlType());
            }
        }
        out.sql(")");
    }

    // ---- filters

    void where(BoolExp filter, String alias, RelationshipModel relationship, String parent) {
        boolean joined = relationship != null;
        boolean filtered = !filter.equals(BoolExp.TRUE);
        if (!joined && !filtered) {
            return;
        }
        out.sql(" WHERE ");
        if (joined) {
            join(relationship, alias, parent);
        }
        if (joined && filtered) {
            out.sql(" AND ");
        }
        if (filtered) {
            boolExp(filter, alias);
        }
    }

    /** {@code child."target_col" = parent."col" AND …}. */
    private void join(RelationshipModel relationship, String child, String parent) {
        boolean first = true;
        for (Map.Entry<String, String> pair : relationship.mapping().entrySet()) {
            out.sql(first ? "" : " AND ").column(child, pair.getValue()).sql(" = ").column(parent, pair.getKey());
            first = false;
        }
    }

    void boolExp(BoolExp exp, String alias) {
        switch (exp) {
            case BoolExp.And and -> junction(and.operands(), " AND ", "true", alias);
            case BoolExp.Or or -> junction(or.operands(), " OR ", "false", alias);
            case BoolExp.Not not -> {
                out.sql("(NOT ");
                boolExp(not.operand(), alias);
                out.sql(")");
            }
            case BoolExp.Compare compare -> compare(compare, alias, false);
            case BoolExp.ColumnCompare compare -> out.sql("(").column(alias, compare.column().column()).sql(" ")
                    .sql(columnComparison(compare.op())).sql(" ")
                    .column(compare.root() ? permissionRoots.peek() : alias, compare.other().column()).sql(")");
            case BoolExp.PermissionRoot root -> {
                permissionRoots.push(alias);
                boolExp(root.filter(), alias);
                permissionRoots.pop();
            }
            case BoolExp.Cast cast -> compare(cast.comparison(), alias, cast.targetSqlType().equals("text"));
            case BoolExp.ComputedCompare computed -> compare(computed.comparison(), alias, computed.castToText(), computed.field());
            case BoolExp.ComputedRows computed -> {
                String child = nextAlias();
                out.sql("EXISTS (SELECT 1 FROM ");
                functionCall(computed.field(), Map.of(), alias);
                out.sql(" AS ").alias(child);
                where(computed.where(), child, null, null);
                out.sql(")");
            }
            case BoolExp.Related related -> {
                String child = nextAlias();
                TableModel target = related.target();
                out.sql("EXISTS (SELECT 1 FROM ");
                from(target);
                out.sql(" AS ").alias(child);
                where(related.where(), child, related.relationship(), alias);
                out.sql(")");
            }
            case BoolExp.Redacted redacted -> {
                BoolExp outer = redaction;
                redaction = redacted.visible();
                boolExp(redacted.comparison(), alias);
                redaction = outer;
            }
            case BoolExp.Exists exists -> {
                String other = nextAlias();
                TableModel target = exists.table();
                out.sql("EXISTS (SELECT 1 FROM ").table(target.name().schema(), target.name().name()).sql(" AS ").alias(other);
                where(exists.where(), other, null, null);
                out.sql(")");
            }
        }
    }

    /** The SQL operator of a permission's column comparison; the planner passes only these. */
    private static String columnComparison(ComparisonOperator op) {
        return switch (op) {
            case CEQ -> "=";
            case CNE, CNEQ -> "<>";
            case CGT -> ">";
            case CLT -> "<";
            case CGTE -> ">=";
            case CLTE -> "<=";
            case EQ, NEQ, GT, LT, GTE, LTE, IN, NIN, IS_NULL, LIKE, NLIKE, ILIKE, NILIKE, SIMILAR, NSIMILAR,
                 REGEX, IREGEX, NREGEX, NIREGEX, CONTAINS, CONTAINED_IN, HAS_KEY, HAS_KEYS_ANY, HAS_KEYS_ALL, ST_CONTAINS, ST_CROSSES,
                 ST_EQUALS, ST_INTERSECTS, ST_OVERLAPS, ST_TOUCHES, ST_WITHIN, ST_D_WITHIN, ST_3D_D_WITHIN, ST_3D_INTERSECTS,
                 ST_INTERSECTS_RAST, ST_INTERSECTS_NBAND_GEOM, ST_INTERSECTS_GEOM_NBAND, ANCESTOR, ANCESTOR_ANY, DESCENDANT,
                 DESCENDANT_ANY, MATCHES, MATCHES_ANY, MATCHES_FULLTEXT ->
                    throw new IllegalArgumentException("not a column comparison: " + op);
        };
    }

    private void junction(List<BoolExp> operands, String operator, String empty, String alias) {
        if (operands.isEmpty()) {
            out.sql(empty);
            return;
        }
        out.sql("(");
        for (int i = 0; i < operands.size(); i++) {
            out.sql(i == 0 ? "" : operator);
            boolExp(operands.get(i), alias);
        }
        out.sql(")");
    }

    private void compare(BoolExp.Compare compare, String alias, boolean castToText) {
        compare(compare, alias, castToText, null);
    }

    /** With {@code computed}, the compared value is its function called with the row {@code alias}, not a column. */
    private void compare(BoolExp.Compare compare, String alias, boolean castToText, ComputedFieldModel computed) {
        ColumnModel column = compare.column();
        ComparisonOperator op = compare.op();
        out.sql("(");
        if (op == ComparisonOperator.IS_NULL) {
            out.sql("(");
            subject(column, alias, computed);
            out.sql(" IS NULL) = ").param(compare.value(), BindMode.TEXT, "bool").sql(")");
            return;
        }
        if (!castToText && ExtensionTypeSql.compares(column, op)) {
            new ExtensionTypeSql(out).compare(column, op, compare.value(), () -> subject(column, alias, computed));
            out.sql(")");
            return;
        }
        // json has no equality or ordering operators (unlike jsonb): its values compare as jsonb.
        boolean jsonAsJsonb = !castToText && column.kind() == ScalarKind.JSON;
        subject(column, alias, computed);
        if (castToText) {
            out.sql("::text");
        } else if (jsonAsJsonb) {
            out.sql("::jsonb");
        }
        String type = castToText ? "text" : jsonAsJsonb ? "jsonb" : column.sqlType();
        BindMode valueMode = column.array() ? BindMode.TEXT_ARRAY : column.kind().json() ? BindMode.JSON : BindMode.TEXT;
        switch (op) {
            case EQ -> out.sql(" = ").param(compare.value(), valueMode, type);
            case NEQ -> out.sql(" <> ").param(compare.value(), valueMode, type);
            case GT -> out.sql(" > ").param(compare.value(), valueMode, type);
            case GTE -> out.sql(" >= ").param(compare.value(), valueMode, type);
            case LT -> out.sql(" < ").param(compare.value(), valueMode, type);
            case LTE -> out.sql(" <= ").param(compare.value(), valueMode, type);
            case IN, NIN -> {
                if (column.array() || column.kind().json()) {
                    throw new io.joinery.proxy.plan.PlanException("_in on " + column.graphqlName() + " is not supported", "$");
                }
                out.sql(op == ComparisonOperator.IN ? " = ANY (" : " <> ALL (").param(compare.value(), BindMode.TEXT_ARRAY, type).sql(")");
            }
            case LIKE -> out.sql(" LIKE ").param(compare.value(), BindMode.TEXT, "text");
            case NLIKE -> out.sql(" NOT LIKE ").param(compare.value(), BindMode.TEXT, "text");
            case ILIKE -> out.sql(" ILIKE ").param(compare.value(), BindMode.TEXT, "text");
            case NILIKE -> out.sql(" NOT ILIKE ").param(compare.value(), BindMode.TEXT, "text");
            case SIMILAR -> out.sql(" SIMILAR TO ").param(compare.value(), BindMode.TEXT, "text");
            case NSIMILAR -> out.sql(" NOT SIMILAR TO ").param(compare.value(), BindMode.TEXT, "text");
            case REGEX -> out.sql(" ~ ").param(compare.value(), BindMode.TEXT, "text");
            case NREGEX -> out.sql(" !~ ").param(compare.value(), BindMode.TEXT, "text");
            case IREGEX -> out.sql(" ~* ").param(compare.value(), BindMode.TEXT, "text");
            case NIREGEX -> out.sql(" !~* ").param(compare.value(), BindMode.TEXT, "text");
            case CONTAINS -> out.sql(" @> ").param(compare.value(), valueMode, type);
            case CONTAINED_IN -> out.sql(" <@ ").param(compare.value(), valueMode, type);
            case HAS_KEY -> out.sql(" ? ").param(compare.value(), BindMode.TEXT, "text");
            case HAS_KEYS_ANY -> out.sql(" ?| ").param(compare.value(), BindMode.TEXT_ARRAY, null);
            case HAS_KEYS_ALL -> out.sql(" ?& ").param(compare.value(), BindMode.TEXT_ARRAY, null);
            case IS_NULL, CEQ, CNE, CNEQ, CGT, CLT, CGTE, CLTE, ST_CONTAINS, ST_CROSSES, ST_EQUALS, ST_INTERSECTS, ST_OVERLAPS,
                 ST_TOUCHES, ST_WITHIN, ST_D_WITHIN, ST_3D_D_WITHIN, ST_3D_INTERSECTS, ST_INTERSECTS_RAST, ST_INTERSECTS_NBAND_GEOM,
                 ST_INTERSECTS_GEOM_NBAND, ANCESTOR, ANCESTOR_ANY, DESCENDANT, DESCENDANT_ANY, MATCHES, MATCHES_ANY, MATCHES_FULLTEXT ->
                    throw new io.joinery.proxy.plan.PlanException("operator " + op + " does not apply to " + type, "$");
        }
        out.sql(")");
    }

    /** The compared value: a column or computed field of the row {@code alias}, as the role sees it (Note [Redacted cells]). */
    private void subject(ColumnModel column, String alias, ComputedFieldModel computed) {
        cell(redaction, alias, () -> {
            if (computed == null) {
                out.column(alias, column.column());
            } else {
                functionCall(computed, Map.of(), alias);
            }
        });
    }

    // ---- ordering

    private void orderTerm(OrderBy term, String alias) {
        orderExpression(term.path(), term.target(), term.visible(), alias);
        out.sql(switch (term.direction()) {
            case "asc", "asc_nulls_last" -> " ASC NULLS LAST";
            case "asc_nulls_first" -> " ASC NULLS FIRST";
            case "desc", "desc_nulls_first" -> " DESC NULLS FIRST";
            case "desc_nulls_last" -> " DESC NULLS LAST";
            default -> throw new io.joinery.proxy.plan.PlanException("unknown order " + term.direction(), "$");
        });
    }

    private void orderExpression(List<OrderBy.Hop> path, OrderBy.OrderTarget target, BoolExp visible, String alias) {
        if (!path.isEmpty()) {
            OrderBy.Hop hop = path.getFirst();
            String child = nextAlias();
            out.sql("(SELECT ");
            orderExpression(path.subList(1, path.size()), target, visible, child);
            out.sql(" FROM ").table(hop.target().name().schema(), hop.target().name().name()).sql(" AS ").alias(child);
            where(hop.filter(), child, hop.relationship(), alias);
            out.sql(" LIMIT 1)");
            return;
        }
        switch (target) {
            case OrderBy.ByColumn byColumn -> cell(visible, alias, () -> out.column(alias, byColumn.column().column()));
            case OrderBy.ByComputed byComputed -> cell(visible, alias, () -> functionCall(byComputed.field(), Map.of(), alias));
            case OrderBy.ByAggregate aggregate -> {
                String child = aggregateOf(aggregate.op(), aggregate.column(), visible);
                TableModel table = aggregate.target();
                out.sql(" FROM ").table(table.name().schema(), table.name().name()).sql(" AS ").alias(child);
                where(aggregate.filter(), child, aggregate.relationship(), alias);
                out.sql(")");
            }
            case OrderBy.ByComputedAggregate aggregate -> {
                String child = aggregateOf(aggregate.op(), aggregate.column(), visible);
                out.sql(" FROM ");
                functionCall(aggregate.field(), Map.of(), alias);
                out.sql(" AS ").alias(child);
                where(aggregate.filter(), child, null, alias);
                out.sql(")");
            }
        }
    }

    /** {@code (SELECT count(*)} or {@code (SELECT <op>(child.column)} of an ordering aggregate, whose rows are then aliased as the alias returned. */
    private String aggregateOf(String op, ColumnModel column, BoolExp visible) {
        String child = nextAlias();
        out.sql("(SELECT ");
        if (column == null) {
            out.sql("count(*)");
        } else {
            out.sql(aggregateFunction(op)).sql("(");
            cell(visible, child, () -> out.column(child, column.column()));
            out.sql(")");
        }
        return child;
    }

    static boolean isText(ColumnModel column) {
        return column.kind() == ScalarKind.STRING;
    }
}
