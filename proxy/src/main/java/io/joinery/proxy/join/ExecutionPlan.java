package io.joinery.proxy.join;

import graphql.language.Field;
import graphql.language.Selection;
import io.joinery.proxy.compile.CompiledQuery;
import io.joinery.proxy.plan.QueryPlan;
import io.joinery.proxy.plan.RootField;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** The joins inside the value of the root field {@code alias}. */
    JoinTree joins(String alias) {
        return joins.get(alias);
    }
}
