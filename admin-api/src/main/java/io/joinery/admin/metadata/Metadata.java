package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole metadata document. {@code version} is the format version of the document (1);
 * the store keeps its own resource version beside it.
 *
 * <pre>
 * version: 1
 * sources:
 *   - name: default
 *     infer_relationships: true
 *     tables:
 *       - table: author
 *         relationships:
 *           articles: { array: article, on: { id: author_id } }
 * custom_types:
 *   - definition: "type OrderResult { order_id: Int! }"
 * actions:
 *   - { name: createOrder, output: OrderResult, handler: { from_env: ORDERS_URL } }
 * query_collections:
 *   - { name: app, queries: [ { name: authors, query: "query Authors { author { id } }" } ] }
 * allowlist:
 *   - collection: app
 * graphql_schema_introspection:
 *   disabled_for_roles: [anonymous]
 * inherited_roles:
 *   - { role_name: editor, role_set: [user, reviewer] }
 * </pre>
 *
 * <p>Actions and custom types are stored, checked, imported and served (see {@link Action}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Metadata(
        @JsonProperty("version") int version,
        @JsonProperty("sources") List<Source> sources,
        @JsonProperty("remote_schemas") List<RemoteSchemaConfig> remoteSchemas,
        @JsonProperty("custom_types") List<CustomType> customTypes,
        @JsonProperty("actions") List<Action> actions,
        @JsonProperty("query_collections") List<QueryCollection> queryCollections,
        @JsonProperty("allowlist") List<AllowlistEntry> allowlist,
        @JsonProperty("graphql_schema_introspection") IntrospectionOptions introspection,
        @JsonProperty("inherited_roles") List<InheritedRole> inheritedRoles) {

    public static final int FORMAT_VERSION = 1;

    @com.fasterxml.jackson.annotation.JsonCreator
    public Metadata {
        if (version == 0) {
            version = FORMAT_VERSION;
        }
        if (version != FORMAT_VERSION) {
            throw new MetadataException("unsupported metadata version " + version + " (expected " + FORMAT_VERSION + ")");
        }
        sources = sources == null ? List.of() : List.copyOf(sources);
        remoteSchemas = remoteSchemas == null ? List.of() : List.copyOf(remoteSchemas);
        if (remoteSchemas.stream().map(RemoteSchemaConfig::name).distinct().count() != remoteSchemas.size()) {
            throw new MetadataException("remote schema names must be unique");
        }
        long distinct = sources.stream().map(Source::name).distinct().count();
        if (distinct != sources.size()) {
            throw new MetadataException("source names must be unique");
        }
        customTypes = customTypes == null ? List.of() : List.copyOf(customTypes);
        actions = actions == null ? List.of() : List.copyOf(actions);
        if (actions.stream().map(Action::name).distinct().count() != actions.size()) {
            throw new MetadataException("action names must be unique");
        }
        queryCollections = queryCollections == null ? List.of() : List.copyOf(queryCollections);
        if (queryCollections.stream().map(QueryCollection::name).distinct().count() != queryCollections.size()) {
            throw new MetadataException("query collection names must be unique");
        }
        allowlist = allowlist == null ? List.of() : List.copyOf(allowlist);
        Set<String> collections = new HashSet<>();
        queryCollections.forEach(collection -> collections.add(collection.name()));
        Set<String> listed = new HashSet<>();
        for (AllowlistEntry entry : allowlist) {
            if (!collections.contains(entry.collection())) {
                throw new MetadataException("allowlist: there is no query collection '" + entry.collection() + "'");
            }
            if (!listed.add(entry.collection())) {
                throw new MetadataException("allowlist: collection '" + entry.collection() + "' is listed twice");
            }
        }
        introspection = introspection == null || introspection.disabledForRoles().isEmpty() ? null : introspection;
        inheritedRoles = inheritedRoles == null ? List.of() : List.copyOf(inheritedRoles);
        checkInheritedRoles(inheritedRoles);
        Set<String> typeNames = new HashSet<>();
        for (CustomType type : customTypes) {
            type.name().filter(name -> !typeNames.add(name)).ifPresent(name -> {
                throw new MetadataException("custom type names must be unique: " + name + " is defined twice");
            });
        }
    }

    public Metadata(int version, List<Source> sources, List<RemoteSchemaConfig> remoteSchemas) {
        this(version, sources, remoteSchemas, List.of(), List.of());
    }

    public Metadata(int version, List<Source> sources, List<RemoteSchemaConfig> remoteSchemas, List<CustomType> customTypes,
                    List<Action> actions) {
        this(version, sources, remoteSchemas, customTypes, actions, List.of(), List.of(), null);
    }

    public Metadata(int version, List<Source> sources, List<RemoteSchemaConfig> remoteSchemas, List<CustomType> customTypes,
                    List<Action> actions, List<QueryCollection> queryCollections, List<AllowlistEntry> allowlist,
                    IntrospectionOptions introspection) {
        this(version, sources, remoteSchemas, customTypes, actions, queryCollections, allowlist, introspection, null);
    }

    /** This document with {@code inheritedRoles} as its inherited roles. */
    public Metadata withInheritedRoles(List<InheritedRole> inheritedRoles) {
        return new Metadata(version, sources, remoteSchemas, customTypes, actions, queryCollections, allowlist, introspection, inheritedRoles);
    }

    /** Names unique, and no inherited role its own ancestor. */
    private static void checkInheritedRoles(List<InheritedRole> inheritedRoles) {
        java.util.Map<String, List<String>> parents = new java.util.HashMap<>();
        for (InheritedRole role : inheritedRoles) {
            if (parents.put(role.roleName(), role.roleSet()) != null) {
                throw new MetadataException("inherited role '" + role.roleName() + "' is defined twice");
            }
        }
        for (String role : parents.keySet()) {
            java.util.Deque<String> pending = new java.util.ArrayDeque<>(parents.get(role));
            Set<String> seen = new HashSet<>();
            while (!pending.isEmpty()) {
                String ancestor = pending.pop();
                if (ancestor.equals(role)) {
                    throw new MetadataException("inherited role '" + role + "' inherits from itself through its role_set: inherited roles cannot form cycles");
                }
                if (seen.add(ancestor)) {
                    pending.addAll(parents.getOrDefault(ancestor, List.of()));
                }
            }
        }
    }

    /** The roles that may not introspect ({@code graphql_schema_introspection.disabled_for_roles}). */
    public List<String> introspectionDisabledFor() {
        return introspection == null ? List.of() : introspection.disabledForRoles();
    }

    public Metadata(int version, List<Source> sources) {
        this(version, sources, List.of());
    }

    public static Metadata empty() {
        return new Metadata(FORMAT_VERSION, List.of(), List.of(), List.of(), List.of());
    }

    public Optional<Action> action(String name) {
        return actions.stream().filter(a -> Objects.equals(a.name(), name)).findFirst();
    }

    /** The custom type whose definition names {@code name}. */
    public Optional<CustomType> customType(String name) {
        return customTypes.stream().filter(t -> t.name().filter(name::equals).isPresent()).findFirst();
    }

    public Optional<RemoteSchemaConfig> remoteSchema(String name) {
        return remoteSchemas.stream().filter(r -> Objects.equals(r.name(), name)).findFirst();
    }

    public Optional<Source> source(String name) {
        return sources.stream().filter(s -> Objects.equals(s.name(), name)).findFirst();
    }
}
