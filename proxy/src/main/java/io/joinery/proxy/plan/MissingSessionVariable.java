package io.joinery.proxy.plan;

/**
 * A remote schema preset reads a session variable the request does not have: Hasura's
 * "missing session variable" ({@code not-found}), as for a table permission's.
 */
public final class MissingSessionVariable extends PlanException {

    MissingSessionVariable(String name) {
        super("missing session variable: \"" + name + "\"", "$");
    }
}
