package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The objects of a metadata document that fail against the live databases now, with their
 * problems, as {@code GET /admin/v1/inconsistencies} lists them. The engine serves
 * {@link #servable(Metadata)}: the document without them.
 */
public record Inconsistencies(List<Problem> problems) {

    public static final Inconsistencies NONE = new Inconsistencies(List.of());

    public Inconsistencies {
        problems = List.copyOf(problems);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** How many objects are inconsistent (an object may have several problems), as the metric shows. */
    public int objectCount() {
        return (int) problems.stream().map(Problem::object).distinct().count();
    }

    /** Whether {@code object}, or an object it belongs to (its table, its source), has a problem. */
    public boolean affects(MetadataObject object) {
        return object.lineage().stream()
                .map(MetadataObject::describe)
                .anyMatch(name -> problems.stream().anyMatch(p -> p.object().equals(name)));
    }

    /**
     * {@code metadata} without the relationships and permissions (of one role for one operation)
     * that have a problem of their own (which, after {@link ConsistencyChecker#check}, includes the
     * permissions whose filters or checks go through an inconsistent relationship); a role left
     * without operations goes too. Tables stay: the engine leaves out a table that does
     * not exist, and a stale column rename only loses that column, so one bad setting does not take
     * a whole table away from the applications that use it.
     */
    public Metadata servable(Metadata metadata) {
        if (isEmpty()) {
            return metadata;
        }
        Set<String> inconsistent = problems.stream().map(Problem::object).collect(Collectors.toSet());
        ObjectNode document = (ObjectNode) MetadataCodec.toTree(metadata);
        for (JsonNode source : document.path("sources")) {
            String sourceName = source.path("name").asText(Source.DEFAULT);
            for (JsonNode table : source.path("tables")) {
                TableRef ref = new TableRef(sourceName, QualifiedName.parse(table.path("table").asText()));
                removeEntries(table.path("relationships"), name -> inconsistent.contains(new RelationshipRef(ref, name).describe()));
                removePermissions(table.path("permissions"), ref, inconsistent);
            }
        }
        return MetadataCodec.convert(document, Metadata.class);
    }

    /** Removes the inconsistent operations of each role, and the roles that are inconsistent as a whole or have no operation left. */
    private static void removePermissions(JsonNode permissions, TableRef table, Set<String> inconsistent) {
        if (!(permissions instanceof ObjectNode roles)) {
            return;
        }
        List<String> removed = new ArrayList<>();
        roles.properties().forEach(entry -> {
            String role = entry.getKey();
            JsonNode operations = entry.getValue();
            boolean hadOperations = !operations.isEmpty();
            removeEntries(operations, operation -> Operation.of(operation)
                    .map(o -> inconsistent.contains(new PermissionRef(table, role, o).describe()))
                    .orElse(false));
            if (inconsistent.contains(new PermissionRef(table, role).describe()) || hadOperations && operations.isEmpty()) {
                removed.add(role);
            }
        });
        roles.remove(removed);
    }

    private static void removeEntries(JsonNode entries, Predicate<String> remove) {
        if (entries instanceof ObjectNode object) {
            List<String> removed = object.properties().stream().map(Map.Entry::getKey).filter(remove).toList();
            object.remove(removed);
        }
    }
}
