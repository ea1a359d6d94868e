package io.joinery.proxy.join;

import graphql.language.AstPrinter;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.RemoteTableJoin;
import io.joinery.proxy.plan.RootField;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code /v1/graphql/explain} says about the remote part of a root field, printed from its
 * {@link ExecutionPlan} as the join stage will run it: the request each remote gets (root fields),
 * the shape of each join's one request per level (its keys known only at run time) — into table
 * rows or into remote answers — and the statements of tables joined into remote answers or other
 * sources.
 */
public final class RemoteExplain {

    private RemoteExplain() {
    }

    public static List<Map<String, Object>> of(RootField root, ExecutionPlan execution) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (root instanceof RootField.Remote remote) {
            out.add(entry(root.alias(), remote.remote(), "one request", AstPrinter.printAstCompact(remote.field())));
        }
        if (root instanceof RootField.Action action) {
            out.add(entry(root.alias(), "action " + action.action().name(), "one handler call", AstPrinter.printAstCompact(action.field())));
        }
        tree(root.alias(), execution.joins(root.alias()), out);
        return out;
    }

    private static void tree(String path, JoinTree tree, List<Map<String, Object>> out) {
        switch (tree) {
            case JoinTree.Rows rows -> rows.steps().forEach(step -> {
                switch (step) {
                    case JoinTree.RowJoin join -> remoteJoin(path + "." + join.join().alias(), join.join(), out);
                    case JoinTree.RowTableJoin join -> out.add(tableJoin(path + "." + join.alias(), join.join()));
                    case JoinTree.Below below -> tree(path + "." + below.alias(), below.tree(), out);
                }
            });
            case JoinTree.Aggregate aggregate -> aggregate.nodes().forEach(nodes -> tree(path + "." + nodes.alias(), nodes.tree(), out));
            case JoinTree.Answer answer -> answer(path, answer, out);
        }
    }

    /** A remote join (into rows or into remote answers) at {@code path}, and the joins into its answer. */
    private static void remoteJoin(String path, JoinTree.RemoteJoin remote, List<Map<String, Object>> out) {
        JoinSpec join = remote.spec();
        RemoteForm.Explanation explanation = RemoteJoinCall.explain(join);
        out.add(entry(path, join.remote(), explanation.calls(), explanation.query()));
        answer(path, remote.answer(), out);
    }

    /** The tables and remote schemas joined into the answer of the remote field at {@code path}. */
    private static void answer(String path, JoinTree.Answer answer, List<Map<String, Object>> out) {
        answer.tables().forEach(table -> out.add(tableJoin(path, table)));
        for (JoinTree.AnswerJoin join : answer.remotes()) {
            remoteJoin(path + below(join.path()) + "." + join.join().alias(), join.join(), out);
        }
    }

    private static Map<String, Object> tableJoin(String path, JoinTree.TableJoin table) {
        RemoteTableJoin join = table.join();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("field", path + below(join.path()) + "." + join.alias());
        entry.put("source", join.source());
        entry.put("calls", "one statement per level for all keys");
        entry.put("sql", table.statement() == null ? null : table.statement().sql().text());
        return entry;
    }

    private static String below(List<String> path) {
        return path.isEmpty() ? "" : "." + String.join(".", path);
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
