package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Another GraphQL API merged into the graph.
 *
 * <pre>
 * remote_schemas:
 *   - name: profiles
 *     url: { from_env: PROFILES_URL }          # or a literal URL
 *     headers: { Authorization: { from_env: PROFILES_TOKEN }, X-Client: joinery }
 *     forward_client_headers: false            # pass the caller's headers through
 *     timeout_seconds: 10
 *     batch_size: 100                          # optional cap on the keys per call of a join; more go in concurrent chunks
 *     customization: { root_fields_namespace: profiles, type_prefix: Profiles_ }   # also type_mapping, field_names (Customization)
 *     relationships:                           # fields added to the remote's types, joined to tables or remote schemas
 *       Profile:
 *         author: { object: author, on: { authorId: id } }   # remote field: column; source: optional
 *         account:                                           # a remote relationship; $field = a scalar field of Profile
 *           remote_schema: accounts
 *           remote_field: { account: { arguments: { id: $accountId } } }
 *     permissions:                             # per role, the part of the remote it may use (RemoteSchemaPermission)
 *       user: { schema: "type Query { profile(authorId: Int! @preset(value: \"x-joinery-user-id\")): Profile } ..." }
 * </pre>
 * See {@link TypeRelationship}.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record RemoteSchemaConfig(
        @JsonProperty("name") String name,
        @JsonProperty("url") ValueFrom url,
        @JsonProperty("headers") Map<String, ValueFrom> headers,
        @JsonProperty("forward_client_headers") boolean forwardClientHeaders,
        @JsonProperty("timeout_seconds") Integer timeoutSeconds,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("customization") Customization customization,
        @JsonProperty("relationships") Map<String, Map<String, TypeRelationship>> relationships,
        @JsonProperty("permissions") Map<String, RemoteSchemaPermission> permissions) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /**
     * No cap in practice: all keys of a join's level go in one call, as Hasura and Apollo Router send them
     * (a level's keys are bounded long before this by the response size limit; a round number, not
     * {@code Integer.MAX_VALUE}, so that chunk arithmetic cannot overflow).
     */
    public static final int DEFAULT_BATCH_SIZE = 1_000_000;

    @com.fasterxml.jackson.annotation.JsonCreator
    public RemoteSchemaConfig {
        if (name == null || name.isBlank()) {
            throw new MetadataException("a remote schema needs a name");
        }
        if (url == null) {
            throw new MetadataException("remote schema '" + name + "' needs a url");
        }
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (timeoutSeconds != null && timeoutSeconds <= 0) {
            throw new MetadataException("remote schema '" + name + "': timeout_seconds must be positive");
        }
        if (batchSize != null && batchSize <= 0) {
            throw new MetadataException("remote schema '" + name + "': batch_size must be positive");
        }
        customization = customization == null ? Customization.NONE : customization;
        relationships = relationships == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(relationships));
        permissions = permissions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(permissions));
        for (String role : permissions.keySet()) {
            if (!io.joinery.policies.RoleNames.isValid(role) || ADMIN_ROLE.equals(role)) {
                throw new MetadataException("remote schema '" + name + "': a permission's role name is " + io.joinery.policies.RoleNames.RULE
                        + ", other than admin");
            }
        }
    }

    private static final String ADMIN_ROLE = "admin";

    public RemoteSchemaConfig(String name, ValueFrom url, Map<String, ValueFrom> headers, boolean forwardClientHeaders,
                              Integer timeoutSeconds, Integer batchSize, Customization customization,
                              Map<String, Map<String, TypeRelationship>> relationships) {
        this(name, url, headers, forwardClientHeaders, timeoutSeconds, batchSize, customization, relationships, null);
    }

    public RemoteSchemaConfig(String name, ValueFrom url, Map<String, ValueFrom> headers, boolean forwardClientHeaders,
                              Integer timeoutSeconds, Integer batchSize, Customization customization) {
        this(name, url, headers, forwardClientHeaders, timeoutSeconds, batchSize, customization, null);
    }

    /** This remote schema with {@code relationships} as the fields its types get. */
    public RemoteSchemaConfig withRelationships(Map<String, Map<String, TypeRelationship>> relationships) {
        return new RemoteSchemaConfig(name, url, headers, forwardClientHeaders, timeoutSeconds, batchSize, customization, relationships, permissions);
    }

    /** This remote schema with {@code permissions} as what each role may use of it ({@link RemoteSchemaPermission}). */
    public RemoteSchemaConfig withPermissions(Map<String, RemoteSchemaPermission> permissions) {
        return new RemoteSchemaConfig(name, url, headers, forwardClientHeaders, timeoutSeconds, batchSize, customization, relationships, permissions);
    }

    public int timeout() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    public int batch() {
        return batchSize == null ? DEFAULT_BATCH_SIZE : batchSize;
    }

    /**
     * Renames against collisions, as Hasura's remote schema customization: a namespace field holding the
     * root fields; type names by {@code type_mapping} (a type's own new name) else by prefix and suffix
     * (scalars keep theirs); and per object or interface type of the remote ({@code parent_type}, its
     * own name), field names by the entry's {@code mapping} else its prefix and suffix.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Customization(
            @JsonProperty("root_fields_namespace") String rootFieldsNamespace,
            @JsonProperty("type_prefix") String typePrefix,
            @JsonProperty("type_suffix") String typeSuffix,
            @JsonProperty("type_mapping") Map<String, String> typeMapping,
            @JsonProperty("field_names") java.util.List<FieldNames> fieldNames) {

        public static final Customization NONE = new Customization(null, null, null);

        @com.fasterxml.jackson.annotation.JsonCreator
        public Customization {
            typeMapping = typeMapping == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(typeMapping));
            fieldNames = fieldNames == null ? java.util.List.of() : java.util.List.copyOf(fieldNames);
            java.util.Set<String> shown = new java.util.HashSet<>();
            for (String name : typeMapping.values()) {
                if (!shown.add(name)) {
                    throw new MetadataException("customization: two types are mapped to " + name);
                }
            }
            java.util.Set<String> parents = new java.util.HashSet<>();
            for (FieldNames names : fieldNames) {
                if (!parents.add(names.parentType())) {
                    throw new MetadataException("customization: field_names names parent_type " + names.parentType() + " twice");
                }
            }
        }

        public Customization(String rootFieldsNamespace, String typePrefix, String typeSuffix) {
            this(rootFieldsNamespace, typePrefix, typeSuffix, null, null);
        }

        /** The shown name of the remote's type {@code remoteName} (a scalar's is its own: the caller decides). */
        public String typeName(String remoteName) {
            String mapped = typeMapping.get(remoteName);
            if (mapped != null) {
                return mapped;
            }
            return (typePrefix == null ? "" : typePrefix) + remoteName + (typeSuffix == null ? "" : typeSuffix);
        }

        /** Whether any type is shown by another name. */
        public boolean renamesTypes() {
            return typePrefix != null || typeSuffix != null || !typeMapping.isEmpty();
        }

        /** The shown name of field {@code field} of the remote's type {@code parentType} (its own names). */
        public String fieldName(String parentType, String field) {
            for (FieldNames names : fieldNames) {
                if (names.parentType().equals(parentType)) {
                    return names.name(field);
                }
            }
            return field;
        }
    }

    /** The field names of one type of the remote ({@code parent_type}): {@code mapping} by field, else {@code prefix + field + suffix}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record FieldNames(@JsonProperty("parent_type") String parentType, @JsonProperty("prefix") String prefix,
                             @JsonProperty("suffix") String suffix, @JsonProperty("mapping") Map<String, String> mapping) {

        @com.fasterxml.jackson.annotation.JsonCreator
        public FieldNames {
            if (parentType == null || parentType.isBlank()) {
                throw new MetadataException("customization: field_names needs a parent_type");
            }
            mapping = mapping == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mapping));
        }

        String name(String field) {
            String mapped = mapping.get(field);
            return mapped != null ? mapped : (prefix == null ? "" : prefix) + field + (suffix == null ? "" : suffix);
        }
    }
}
