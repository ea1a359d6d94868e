package io.joinery.proxy.plan;

import java.util.List;

/** The plan of one operation: its root fields in order, and the source their database roots run on. */
public record QueryPlan(String operationType, String operationName, List<RootField> roots) {

    public QueryPlan {
        roots = List.copyOf(roots);
    }

    // Loops, not streams: these are asked on every request (Note [One write, no transaction] in execute.Database).

    public boolean hasRemoteRoots() {
        return has(RootField.Remote.class);
    }

    public boolean hasActions() {
        return has(RootField.Action.class);
    }

    public boolean hasIntrospection() {
        return has(RootField.Introspection.class);
    }

    public boolean hasMutations() {
        return has(RootField.Mutation.class);
    }

    private boolean has(Class<? extends RootField> kind) {
        for (RootField root : roots) {
            if (kind.isInstance(root)) {
                return true;
            }
        }
        return false;
    }
}
