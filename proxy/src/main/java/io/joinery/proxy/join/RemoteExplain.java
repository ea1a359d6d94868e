package io.joinery.proxy.join;

import graphql.language.AstPrinter;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.plan.AggregatePart;
import io.joinery.proxy.plan.RowField;
import io.joinery.proxy.plan.RemoteSchemaJoin;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.plan.JoinSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /v1/graphql/explain} says about the remote part of a root field: the request each
 * remote gets (root fields), the shape of each join's one request per level (its keys known only
 * at run time) — into table rows or into remote answers — and the statements of tables joined into
 * remote answers or other sources.
 */
public final class RemoteExplain {

    private RemoteExplain() {
    }

    public static List<Map<String, Object>> of(RootField root, CompiledQuery compiled) {
        List<Map<String, Object>> out = new ArrayList<>();
        switch (root) {
            case RootField.Remote remote -> {
                out.add(entry(root.alias(), remote.remote(), "one request", AstPrinter.printAstCompact(remote.field())));
                answerJoins(root.alias(), remote.tableJoins(), remote.remoteJoins(), compiled, out);
            }
            case RootField.SelectMany many -> fields(root.alias(), many.fields(), compiled, out);
            case RootField.SelectFunction function -> fields(root.alias(), function.fields(), compiled, out);
            case RootField.SelectByPk byPk -> fields(root.alias(), byPk.fields(), compiled, out);
            case RootField.SelectAggregate aggregate -> aggregate.parts().forEach(part -> {
                if (part instanceof AggregatePart.Nodes nodes) {
                    fields(root.alias() + "." + part.alias(), nodes.fields(), compiled, out);
                }
            });
            case RootField.SelectFunctionAggregate aggregate -> aggregate.parts().forEach(part -> {
                if (part instanceof AggregatePart.Nodes nodes) {
                    fields(root.alias() + "." + part.alias(), nodes.fields(), compiled, out);
                }
            });
            default -> {
            }
        }
        return out;
    }

    private static void fields(String path, List<RowField> fields, CompiledQuery compiled, List<Map<String, Object>> out) {
        for (RowField field : fields) {
            String here = path + "." + field.alias();
            switch (field) {
                case RowField.RemoteJoin remote -> remoteJoin(here, remote, compiled, out);
                case RowField.SourceJoin join -> out.add(tableJoin(here, join.join(), compiled));
                case RowField.ObjectRelation relation -> fields(here, relation.fields(), compiled, out);
                case RowField.ArrayRelation relation -> fields(here, relation.fields(), compiled, out);
                case RowField.ComputedRows computed -> fields(here, computed.fields(), compiled, out);
                case RowField.Computed computed -> {
                }
                case RowField.ArrayAggregate aggregate -> aggregate.parts().forEach(part -> {
                    if (part instanceof AggregatePart.Nodes nodes) {
                        fields(here + "." + part.alias(), nodes.fields(), compiled, out);
                    }
                });
                case RowField.Column column -> {
                }
                case RowField.Typename typename -> {
                }
            }
        }
    }

    /** A remote join (into rows or into remote answers) at {@code path}, and the joins into its answer. */
    private static void remoteJoin(String path, RowField.RemoteJoin remote, CompiledQuery compiled, List<Map<String, Object>> out) {
        JoinSpec join = remote.join();
        RemoteForm.Explanation explanation = RemoteJoinCall.explain(join);
        out.add(entry(path, join.remote(), explanation.calls(), explanation.query()));
        answerJoins(path, remote.tableJoins(), remote.remoteJoins(), compiled, out);
    }

    /** The tables and remote schemas joined into the answer of the remote field at {@code path}. */
    private static void answerJoins(String path, List<RemoteTableJoin> tables, List<RemoteSchemaJoin> remotes, CompiledQuery compiled,
                                    List<Map<String, Object>> out) {
        tables.forEach(table -> out.add(tableJoin(path, table, compiled)));
        for (RemoteSchemaJoin join : remotes) {
            String here = path + (join.path().isEmpty() ? "" : "." + String.join(".", join.path())) + "." + join.field().alias();
            remoteJoin(here, join.field(), compiled, out);
        }
    }

    private static Map<String, Object> tableJoin(String path, RemoteTableJoin join, CompiledQuery compiled) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("field", path + (join.path().isEmpty() ? "" : "." + String.join(".", join.path())) + "." + join.alias());
        entry.put("source", join.source());
        entry.put("calls", "one statement per level for all keys");
        var sql = compiled.tableJoins().get(join);
        entry.put("sql", sql == null ? null : sql.text());
        return entry;
    }

    private static Map<String, Object> entry(String field, String remote, String calls, String query) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("field", field);
        entry.put("remote", remote);
        entry.put("calls", calls);
        entry.put("query", query);
        return entry;
    }
}
