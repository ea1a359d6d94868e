package io.joinery.proxy.plan;

/** A request the planner cannot turn into a plan; its message is for the client (validation-failed). */
public class PlanException extends RuntimeException {

    private final String path;

    public PlanException(String message, String path) {
        super(message);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
