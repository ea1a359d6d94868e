package io.joinery.admin.check;

import java.util.List;

/**
 * The objects of a metadata document that fail against the live databases now, with their
 * problems, as {@code GET /admin/v1/inconsistencies} lists them. The engine leaves out every object
 * {@link #affects(MetadataObject) affected} and serves the rest.
 */
public record Inconsistencies(List<Problem> problems) {

    public static final Inconsistencies NONE = new Inconsistencies(List.of());

    public Inconsistencies {
        problems = List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Whether {@code object}, or an object it belongs to (its table, its source), has a problem. */
    public boolean affects(MetadataObject object) {
        return object.lineage().stream()
                .map(MetadataObject::describe)
                .anyMatch(name -> problems.stream().anyMatch(p -> p.object().equals(name)));
    }
}
