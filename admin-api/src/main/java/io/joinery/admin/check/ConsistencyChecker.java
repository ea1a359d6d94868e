package io.joinery.admin.check;

import io.joinery.admin.catalog.DatabaseCatalog;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.SourceRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs the built-in checks (database objects, actions and custom types) and the engine's extra
 * checks against live catalogs read through {@link Catalogs}, once per call. An unreachable source is itself a problem, and its
 * objects are not checked further.
 */
public final class ConsistencyChecker {

    private static final System.Logger LOG = System.getLogger(ConsistencyChecker.class.getName());

    private final Catalogs catalogs;
    private final List<ConsistencyCheck> checks;

    public ConsistencyChecker(Catalogs catalogs, List<ConsistencyCheck> extraChecks) {
        this.catalogs = Objects.requireNonNull(catalogs, "catalogs");
        this.checks = Stream.concat(Stream.of(new DatabaseCheck(), new ActionCheck()), extraChecks.stream()).toList();
    }

    /**
     * The checks every write of the admin API goes through: the built-in ones,
     * {@link RemoteReferenceCheck} and {@code engineChecks} (the engine's, which introspect remote
     * schemas). {@code joinery check} and the sidecar's own builds use the same, so CI, the admin API
     * and what is served agree.
     */
    public static ConsistencyChecker of(Catalogs catalogs, List<ConsistencyCheck> engineChecks) {
        return new ConsistencyChecker(catalogs, Stream.concat(Stream.of(new RemoteReferenceCheck()), engineChecks.stream()).toList());
    }

    /** What fails in {@code metadata} now: drift after a reload, or the answer of a dry run. */
    public Inconsistencies check(Metadata metadata) {
        List<Problem> problems = new ArrayList<>();
        Map<String, DatabaseCatalog> read = read(metadata.sources(), problems);
        problems.addAll(problems(metadata, read));
        return new Inconsistencies(problems);
    }

    /**
     * The problems a change from {@code current} to {@code next} would introduce: those of
     * {@code next} that {@code current} does not already have, so existing drift does not block an
     * unrelated change. A source whose database cannot be read may not be changed, since the change
     * cannot be checked.
     */
    public List<Problem> newProblems(Metadata current, Metadata next) {
        List<Problem> unreachable = new ArrayList<>();
        Map<String, DatabaseCatalog> read = read(next.sources(), unreachable);
        Set<Problem> introduced = new LinkedHashSet<>(problems(next, read));
        introduced.removeAll(problems(current, read));
        for (Source source : next.sources()) {
            if (!read.containsKey(source.name()) && !current.source(source.name()).equals(Optional.of(source))) {
                introduced.add(Problem.of(new SourceRef(source.name()), "database",
                        "the change cannot be checked while the database cannot be reached"));
            }
        }
        return List.copyOf(introduced);
    }

    private List<Problem> problems(Metadata metadata, Map<String, DatabaseCatalog> read) {
        List<Problem> found = checks.stream().flatMap(check -> check.check(metadata, read).stream()).distinct().toList();
        return Stream.concat(found.stream(), dependentProblems(metadata, found).stream()).distinct().toList();
    }

    /**
     * A permission whose filter or check goes through an inconsistent relationship cannot be
     * compiled either: it is inconsistent too, and left out with the relationship (the role loses
     * the table, or that operation on it, rather than getting it unfiltered).
     */
    private static List<Problem> dependentProblems(Metadata metadata, List<Problem> found) {
        Set<String> inconsistent = found.stream().map(Problem::object).collect(Collectors.toSet());
        List<Problem> dependents = new ArrayList<>();
        for (Source source : metadata.sources()) {
            for (TableConfig table : source.tables()) {
                for (String name : table.relationships().keySet()) {
                    RelationshipRef relationship = new RelationshipRef(new TableRef(source.name(), table.qualifiedName()), name);
                    if (!inconsistent.contains(relationship.describe())) {
                        continue;
                    }
                    String dependency = "relationship " + table.qualifiedName() + "." + name;
                    Dependents.ofRelationship(metadata, source.name(), table.qualifiedName(), name).forEach(dependent ->
                            dependents.add(Problem.of(dependent, dependency, throughReason(metadata, dependent, relationship))));
                }
            }
        }
        return dependents;
    }

    /** {@code the filter goes through this relationship, ...}, naming the expressions of the permission that do. */
    private static String throughReason(Metadata metadata, MetadataObject dependent, RelationshipRef relationship) {
        List<String> expressions = List.of("filter");
        if (dependent instanceof PermissionRef ref && ref.operation() != null) {
            Source source = metadata.source(ref.table().source()).orElseThrow();
            expressions = source.table(ref.table().table())
                    .flatMap(table -> Optional.ofNullable(table.permissions().get(ref.role())))
                    .flatMap(permissions -> permissions.permission(ref.operation()))
                    .map(permission -> Dependents.expressionsThrough(permission, source, ref.table().table(), Set.of(relationship)))
                    .filter(names -> !names.isEmpty())
                    .orElse(expressions);
        }
        return "the " + String.join(" and the ", expressions) + (expressions.size() == 1 ? " goes" : " go")
                + " through this relationship, which is inconsistent";
    }

    private Map<String, DatabaseCatalog> read(List<Source> sources, List<Problem> problems) {
        Map<String, DatabaseCatalog> read = new HashMap<>();
        for (Source source : sources) {
            try {
                read.put(source.name(), catalogs.read(source));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot read the catalog of source " + source.name(), e);
                problems.add(Problem.of(new SourceRef(source.name()), "database", "the database cannot be reached"));
            }
        }
        return read;
    }
}
