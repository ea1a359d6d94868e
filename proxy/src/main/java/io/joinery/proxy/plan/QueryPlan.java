package io.joinery.proxy.plan;

import java.util.List;

/** The plan of one operation: its root fields in order, and the source their database roots run on. */
public record QueryPlan(String operationType, String operationName, List<RootField> roots) {

    public QueryPlan {
        roots = List.copyOf(roots);
    }

    public boolean hasRemoteRoots() {
        return roots.stream().anyMatch(r -> r instanceof RootField.Remote);
    }

    public boolean hasActions() {
        return roots.stream().anyMatch(r -> r instanceof RootField.Action);
    }

    public boolean hasIntrospection() {
        return roots.stream().anyMatch(r -> r instanceof RootField.Introspection);
    }
}
