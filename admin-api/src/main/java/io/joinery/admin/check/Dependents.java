package io.joinery.admin.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.check.MetadataObject.ActionRef;
import io.joinery.admin.check.MetadataObject.ComputedFieldRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRef;
import io.joinery.admin.check.MetadataObject.CustomTypeRelationshipRef;
import io.joinery.admin.check.MetadataObject.PermissionRef;
import io.joinery.admin.check.MetadataObject.RelationshipRef;
import io.joinery.admin.check.MetadataObject.TableRef;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Relationship;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.SelectPermission;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TablePermission;
import io.joinery.admin.metadata.UpdatePermission;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What else stops working when an object is removed from the document, found from the document
 * alone: relationships of other tables (and of custom types) targeting an untracked table, the
 * permissions (of one role for one operation) whose filter or check goes through a removed
 * relationship or uses a removed computed field, the select permissions listing a removed computed
 * field, and the custom types and actions using a removed custom type. The admin API refuses
 * such a delete, or removes these too when asked to cascade.
 */
public final class Dependents {

    private Dependents() {
    }

    /** The dependents of tracking {@code table}: other tables' relationships to it and the permissions through them or through its own relationships. */
    public static List<MetadataObject> ofTable(Metadata metadata, String source, QualifiedName table) {
        Source scope = metadata.source(source).orElse(null);
        if (scope == null) {
            return List.of();
        }
        Set<RelationshipRef> removed = new LinkedHashSet<>();
        List<MetadataObject> dependents = new ArrayList<>();
        for (TableConfig config : scope.tables()) {
            TableRef ref = new TableRef(source, config.qualifiedName());
            boolean self = config.qualifiedName().equals(table);
            config.relationships().forEach((name, relationship) -> {
                if (self || relationship.target().equals(table)) {
                    removed.add(new RelationshipRef(ref, name));
                    if (!self) {
                        dependents.add(new RelationshipRef(ref, name));
                    }
                }
            });
        }
        dependents.addAll(permissionsThrough(scope, removed, table));
        dependents.addAll(customTypeRelationshipsTo(metadata, source, table));
        return dependents;
    }

    /** The relationships of custom types that join to {@code table} (null: to any table) of {@code source}, in document order. */
    public static List<MetadataObject> customTypeRelationshipsTo(Metadata metadata, String source, QualifiedName table) {
        List<MetadataObject> found = new ArrayList<>();
        for (int i = 0; i < metadata.customTypes().size(); i++) {
            CustomType type = metadata.customTypes().get(i);
            CustomTypeRef ref = ActionCheck.ref(type, i);
            type.relationships().forEach((name, relationship) -> {
                String target = relationship.source() == null ? Source.DEFAULT : relationship.source();
                if (target.equals(source) && (table == null || relationship.target().equals(table))) {
                    found.add(new CustomTypeRelationshipRef(ref, name));
                }
            });
        }
        return found;
    }

    /**
     * The dependents of custom type {@code name}: the custom types whose fields use it and the
     * actions whose arguments or output use it, and, since those go too, whatever uses them, in
     * document order (types first).
     */
    public static List<MetadataObject> ofCustomType(Metadata metadata, String name) {
        Set<String> removed = new LinkedHashSet<>(Set.of(name));
        List<MetadataObject> dependents = new ArrayList<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (CustomType type : metadata.customTypes()) {
                Optional<String> typeName = type.name();
                if (typeName.isPresent() && !removed.contains(typeName.get())
                        && !Collections.disjoint(TypeReferences.usedBy(type), removed)) {
                    removed.add(typeName.get());
                    grew = true;
                }
            }
        }
        metadata.customTypes().forEach(type -> type.name()
                .filter(typeName -> !typeName.equals(name) && removed.contains(typeName))
                .ifPresent(typeName -> dependents.add(new CustomTypeRef(typeName))));
        metadata.actions().stream()
                .filter(action -> !Collections.disjoint(TypeReferences.usedBy(action), removed))
                .forEach(action -> dependents.add(new ActionRef(action.name())));
        return dependents;
    }

    /** The dependents of relationship {@code name} of {@code table}: the permissions whose filters or checks go through it. */
    public static List<MetadataObject> ofRelationship(Metadata metadata, String source, QualifiedName table, String name) {
        return metadata.source(source)
                .map(scope -> permissionsThrough(scope, Set.of(new RelationshipRef(new TableRef(source, table), name)), null))
                .orElse(List.of());
    }

    /**
     * The dependents of computed field {@code name} of {@code table} that go with it: the permissions whose
     * filters or checks use it, on this table or through relationships to it. The select permissions that
     * only list it ({@link #permittingComputedField}) stay, without it.
     */
    public static List<MetadataObject> ofComputedField(Metadata metadata, String source, QualifiedName table, String name) {
        return metadata.source(source)
                .map(scope -> permissionsThrough(scope, Set.of(new ComputedFieldRef(new TableRef(source, table), name)), null))
                .orElse(List.of());
    }

    /** The select permissions of {@code table} that list computed field {@code name} in their {@code computed_fields}. */
    public static List<MetadataObject> permittingComputedField(Metadata metadata, String source, QualifiedName table, String name) {
        TableConfig config = metadata.source(source).flatMap(scope -> scope.table(table)).orElse(null);
        if (config == null) {
            return List.of();
        }
        List<MetadataObject> permissions = new ArrayList<>();
        config.permissions().forEach((role, rolePermissions) -> {
            if (rolePermissions.select() != null && rolePermissions.select().computedFields().contains(name)) {
                permissions.add(new PermissionRef(new TableRef(source, table), role, Operation.SELECT));
            }
        });
        return permissions;
    }

    /** The permission of each operation, of each role, whose filter or check goes through a removed relationship or uses a removed computed field. */
    private static List<MetadataObject> permissionsThrough(Source source, Set<? extends MetadataObject> removed, QualifiedName skipped) {
        List<MetadataObject> permissions = new ArrayList<>();
        for (TableConfig config : source.tables()) {
            if (config.qualifiedName().equals(skipped)) {
                continue;
            }
            TableRef table = new TableRef(source.name(), config.qualifiedName());
            config.permissions().forEach((role, rolePermissions) -> rolePermissions.operations().forEach((operation, permission) -> {
                if (!expressionsThrough(permission, source, config.qualifiedName(), removed).isEmpty()) {
                    permissions.add(new PermissionRef(table, role, operation));
                }
            }));
        }
        return permissions;
    }

    /**
     * The names of the expressions of {@code permission} (on {@code table}) that go through any of
     * {@code objects} (relationships and computed fields).
     */
    static List<String> expressionsThrough(TablePermission permission, Source source, QualifiedName table, Set<? extends MetadataObject> objects) {
        List<String> through = new ArrayList<>();
        expressions(permission).forEach((name, expression) -> {
            Set<MetadataObject> used = new LinkedHashSet<>();
            referencesIn(expression, source, table, used);
            if (!Collections.disjoint(used, objects)) {
                through.add(name);
            }
        });
        return through;
    }

    /** The boolean expressions of a permission by name ({@code filter}, {@code check}), those it has, in that order. */
    static Map<String, JsonNode> expressions(TablePermission permission) {
        Map<String, JsonNode> expressions = new LinkedHashMap<>();
        switch (permission) {
            case SelectPermission select -> expressions.put("filter", select.filter());
            case InsertPermission insert -> expressions.put("check", insert.check());
            case UpdatePermission update -> {
                expressions.put("filter", update.filter());
                expressions.put("check", update.check());
            }
            case DeletePermission delete -> expressions.put("filter", delete.filter());
        }
        expressions.values().removeIf(expression -> expression == null || expression.isNull());
        return expressions;
    }

    /**
     * Adds every declared relationship a filter on {@code table} goes through, at any depth, and every
     * computed field it uses. An expression under a computed field returning {@code SETOF} a table is
     * not followed: its table is known from the database only.
     */
    static void referencesIn(JsonNode node, Source source, QualifiedName table, Set<MetadataObject> out) {
        if (node == null || !node.isObject()) {
            return;
        }
        TableConfig config = source.table(table).orElse(null);
        TableRef ref = new TableRef(source.name(), table);
        node.properties().forEach(term -> {
            JsonNode value = term.getValue();
            switch (term.getKey()) {
                case "_and", "_or" -> value.forEach(e -> referencesIn(e, source, table, out));
                case "_not" -> referencesIn(value, source, table, out);
                case "_exists" -> {
                    try {
                        referencesIn(value.path("_where"), source, FilterCheck.tableOf(value.get("_table")), out);
                    } catch (MetadataException e) {
                        // malformed: the consistency check reports it
                    }
                }
                default -> {
                    Relationship relationship = config == null ? null : config.relationships().get(term.getKey());
                    if (relationship != null) {
                        out.add(new RelationshipRef(ref, term.getKey()));
                        referencesIn(value, source, relationship.target(), out);
                    } else if (config != null && config.computedFields().containsKey(term.getKey())) {
                        out.add(new ComputedFieldRef(ref, term.getKey()));
                    }
                }
            }
        });
    }
}
