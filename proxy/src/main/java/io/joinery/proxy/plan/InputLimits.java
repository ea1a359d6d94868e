package io.joinery.proxy.plan;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Note [Limits on the callers' boolean expressions]: Postgres' planning time grows steeply with the
 * nesting of a {@code where} (each relationship is a subquery with its permission filter), so a
 * caller's {@code where} may nest at most {@code maxDepth} boolean expressions (each {@code _and},
 * {@code _or}, {@code _not}, relationship or {@code _exists} is a level; an {@code order_by} through
 * object relationships counts its hops), and the {@code where}, {@code order_by} and
 * {@code distinct_on} arguments of one operation hold at most {@code maxNodes} conditions, literals
 * and variables alike. Past either, the operation is refused (validation-failed, with the path)
 * before any SQL. Permission filters are the admin's and do not count.
 *
 * <p>One operation's count, and where the planner is in it for the path of the error: the response
 * keys down to the field being planned and the way into its argument.
 */
final class InputLimits {

    private final int maxDepth;
    private final int maxNodes;
    private int depth;
    private int nodes;
    private final Deque<String> selectionPath = new ArrayDeque<>();
    private final Deque<String> inputPath = new ArrayDeque<>();

    InputLimits(int maxDepth, int maxNodes) {
        this.maxDepth = maxDepth;
        this.maxNodes = maxNodes;
    }

    int maxDepth() {
        return maxDepth;
    }

    /** {@code plan} for the field at response key {@code key}, below the current one. */
    <T> T inField(String key, Supplier<T> plan) {
        selectionPath.addLast(key);
        try {
            return plan.get();
        } finally {
            selectionPath.removeLast();
        }
    }

    /** {@code plan} for the part of the argument at {@code step} ({@code .where}, {@code [0]}, …), below the current one. */
    <T> T inInput(String step, Supplier<T> plan) {
        inputPath.addLast(step);
        try {
            return plan.get();
        } finally {
            inputPath.removeLast();
        }
    }

    void enterInput(String step) {
        inputPath.addLast(step);
    }

    void leaveInput() {
        inputPath.removeLast();
    }

    /** One more condition of the caller's input. */
    void countNode() {
        if (++nodes > maxNodes) {
            throw exceeded("the where, order_by and distinct_on arguments of the operation have more than " + maxNodes
                    + " conditions; the limit is " + maxNodes);
        }
    }

    /** One level deeper into a caller's boolean expression; {@link #leaveLevel} when done. */
    void enterLevel() {
        if (++depth > maxDepth) {
            throw exceeded("the boolean expression is more than " + maxDepth + " levels deep; the limit is " + maxDepth);
        }
    }

    void leaveLevel() {
        depth--;
    }

    PlanException exceeded(String message) {
        return new PlanException(message, "$.selectionSet." + String.join(".selectionSet.", selectionPath) + ".args" + String.join("", inputPath));
    }
}
