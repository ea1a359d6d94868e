package io.joinery.proxy.join;

import graphql.language.Field;
import graphql.language.Selection;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.plan.JoinSpec;
import io.joinery.proxy.plan.PlanValue;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RootField;
import io.joinery.proxy.remote.GraphqlDocuments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What running a compiled operation takes, as it will run: ONE statement per source for its
 * database root fields, the {@link JoinTree} of each root field (by alias; its table joins carry
 * their keyed statements), and its remote root fields as ONE request per remote (by remote, in the
 * client's order). The join stage runs it and {@code /v1/graphql/explain} prints it.
 */
public record ExecutionPlan(QueryPlan plan, List<CompiledQuery.SourceStatement> statements, boolean remoteJoins,
                            Map<String, JoinTree> joins, Map<String, List<Field>> remoteRoots) {

    public ExecutionPlan {
        statements = List.copyOf(statements);
        joins = Collections.unmodifiableMap(new LinkedHashMap<>(joins));
        remoteRoots = Collections.unmodifiableMap(new LinkedHashMap<>(remoteRoots));
    }

    public static ExecutionPlan of(CompiledQuery compiled) {
        JoinCollector collector = new JoinCollector(compiled.tableJoins());
        Map<String, JoinTree> joins = new LinkedHashMap<>();
        Map<String, List<Field>> remoteRoots = new LinkedHashMap<>();
        for (RootField root : compiled.plan().roots()) {
            joins.put(root.alias(), collector.of(root));
            List<Field> fields = root instanceof RootField.Remote remote ? remoteFields(remote) : List.of();
            if (!fields.isEmpty()) {
                remoteRoots.computeIfAbsent(((RootField.Remote) root).remote(), r -> new ArrayList<>()).addAll(fields);
            }
        }
        return new ExecutionPlan(compiled.plan(), compiled.statements(), compiled.remoteJoins(), joins, remoteRoots);
    }

    /** The fields a remote root field sends: itself, or under a namespace field its sub-fields but {@code __typename}. */
    private static List<Field> remoteFields(RootField.Remote remote) {
        if (!remote.namespaced()) {
            return List.of(remote.field());
        }
        List<Field> fields = new ArrayList<>();
        for (Selection<?> selection : remote.field().getSelectionSet().getSelections()) {
            if (selection instanceof Field field && !field.getName().equals("__typename")) {
                fields.add(field);
            }
        }
        return fields;
    }

    /**
     * The client's variables the joins read: those of each remote join's selection and arguments (sent
     * with its request) and those bound in each table join's keyed statement. What a live query's
     * subscribers must agree on to share one join (Note [Join groups] in {@code subscription.LiveQueries}).
     */
    public Set<String> variablesRead() {
        Set<String> read = new TreeSet<>();
        joins.values().forEach(tree -> variablesRead(tree, read));
        return read;
    }

    private static void variablesRead(JoinTree tree, Set<String> read) {
        switch (tree) {
            case JoinTree.Rows rows -> rows.steps().forEach(step -> {
                switch (step) {
                    case JoinTree.Below below -> variablesRead(below.tree(), read);
                    case JoinTree.RowJoin join -> variablesRead(join.join(), read);
                    case JoinTree.RowTableJoin join -> variablesRead(join.join(), read);
                }
            });
            case JoinTree.Aggregate aggregate -> aggregate.nodes().forEach(below -> variablesRead(below.tree(), read));
            case JoinTree.Answer answer -> {
                answer.tables().forEach(table -> variablesRead(table, read));
                answer.remotes().forEach(remote -> variablesRead(remote.join(), read));
            }
        }
    }

    private static void variablesRead(JoinTree.RemoteJoin join, Set<String> read) {
        JoinSpec spec = join.spec();
        List<Selection> selections = new ArrayList<>(spec.selection() == null ? List.of() : GraphqlDocuments.selections(spec.selection()));
        selections.add(Field.newField("arguments").arguments(spec.arguments()).build());
        read.addAll(GraphqlDocuments.variables(selections, spec.fragments(), GraphqlDocuments.fragments(selections, spec.fragments())));
        variablesRead(join.answer(), read);
    }

    private static void variablesRead(JoinTree.TableJoin join, Set<String> read) {
        if (join.statement() != null) {
            join.statement().sql().params().forEach(param -> variablesRead(param.value(), read));
        }
        variablesRead(join.rows(), read);
    }

    private static void variablesRead(PlanValue value, Set<String> read) {
        switch (value) {
            case PlanValue.Variable variable -> read.add(variable.name());
            case PlanValue.Fields fields -> fields.fields().values().forEach(field -> variablesRead(field, read));
            case PlanValue.ListOf list -> list.items().forEach(item -> variablesRead(item, read));
            case PlanValue.JsonPathOf path -> variablesRead(path.path(), read);
            case PlanValue.Literal literal -> {
            }
            case PlanValue.Session session -> {
            }
            case PlanValue.SessionVariables all -> {
            }
        }
    }

    /** The joins inside the value of the root field {@code alias}. */
    JoinTree joins(String alias) {
        return joins.get(alias);
    }
}
