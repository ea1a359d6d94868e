package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.joinery.admin.metadata.Action;
import io.joinery.admin.metadata.AllowlistEntry;
import io.joinery.admin.metadata.IntrospectionOptions;
import io.joinery.admin.metadata.QueryCollection;
import io.joinery.admin.metadata.CustomType;
import io.joinery.admin.metadata.Metadata;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.Source;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.TrackedFunction;
import io.joinery.admin.metadata.ValueFrom;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.joinery.admin.hasura.TableImport.text;
import static io.joinery.admin.hasura.UnmappedCollector.child;

/**
 * Turns a Hasura metadata export into a Joinery metadata document.
 *
 * <p>In: the JSON of {@code export_metadata} (version 3, with {@code sources}; also the
 * {@code {resource_version, metadata}} answer of its version 2 call, and the older version 2
 * documents with top-level {@code tables}, read as the source {@code default}). Out: an
 * {@link ImportResult} with the document and every part of the export it has no place for. Mapped:
 * Postgres sources and their tracked tables, custom table, root field and column names, object and
 * array relationships, remote relationships to remote schemas, select, insert, update and delete
 * permissions, remote schemas, actions and custom types (see {@link ActionImport}), query collections,
 * the allowlist and the roles introspection is disabled for ({@link AllowlistImport}). Session variables
 * {@code x-hasura-*} in permission filters, checks and presets and in remote relationship arguments
 * become {@code x-joinery-*}.
 *
 * <p>Relationships written {@code foreign_key_constraint_on} name only one side; pass
 * {@link ForeignKeys} backed by the live catalogs to map them, otherwise they are listed as
 * unmapped. The source {@code default} reading {@code HASURA_GRAPHQL_DATABASE_URL} becomes the
 * default source without a URL, that is the sidecar's own database.
 *
 * <pre>
 * ImportResult result = HasuraImport.convert(export, ForeignKeys.of(catalogs::read));
 * // check and store result.metadata() as a PUT would, then answer with result.unmapped()
 * </pre>
 */
public final class HasuraImport {

    /** Where Hasura's default source reads its database URL from. */
    public static final String HASURA_DATABASE_URL = "HASURA_GRAPHQL_DATABASE_URL";

    private final ForeignKeys foreignKeys;
    private final UnmappedCollector unmapped = new UnmappedCollector();

    private HasuraImport(ForeignKeys foreignKeys) {
        this.foreignKeys = foreignKeys;
    }

    /**
     * Converts without a database catalog: relationships written {@code foreign_key_constraint_on}
     * are listed as unmapped.
     *
     * @throws MetadataException when {@code hasuraExport} is not a Hasura metadata export
     */
    public static ImportResult convert(JsonNode hasuraExport) {
        return new HasuraImport(null).run(hasuraExport);
    }

    /**
     * Converts, finding the other side of {@code foreign_key_constraint_on} relationships with
     * {@code foreignKeys}.
     *
     * @throws MetadataException when {@code hasuraExport} is not a Hasura metadata export
     */
    public static ImportResult convert(JsonNode hasuraExport, ForeignKeys foreignKeys) {
        return new HasuraImport(Objects.requireNonNull(foreignKeys, "foreignKeys")).run(hasuraExport);
    }

    private ImportResult run(JsonNode hasuraExport) {
        JsonNode document = document(hasuraExport);
        List<Source> sources = new ArrayList<>();
        JsonNode sourceList = document.path("sources");
        for (int i = 0; i < sourceList.size(); i++) {
            source(sourceList.get(i), i).ifPresent(sources::add);
        }
        List<RemoteSchemaConfig> remoteSchemas = new ArrayList<>();
        RemoteSchemaImport remoteSchemaImport = new RemoteSchemaImport(unmapped);
        JsonNode remoteSchemaList = document.path("remote_schemas");
        for (int i = 0; i < remoteSchemaList.size(); i++) {
            remoteSchemaImport.convert(remoteSchemaList.get(i), i).ifPresent(remoteSchemas::add);
        }
        ActionImport actionImport = new ActionImport(unmapped);
        List<Action> actions = new ArrayList<>();
        JsonNode actionList = document.path("actions");
        for (int i = 0; i < actionList.size(); i++) {
            actionImport.convert(actionList.get(i), i).ifPresent(actions::add);
        }
        List<CustomType> customTypes = actionImport.customTypes(document.path("custom_types"));
        AllowlistImport allowlistImport = new AllowlistImport(unmapped);
        List<QueryCollection> collections = allowlistImport.collections(document.path("query_collections"));
        List<AllowlistEntry> allowlist = allowlistImport.allowlist(document.path("allowlist"));
        IntrospectionOptions introspection = allowlistImport.introspection(document.path("graphql_schema_introspection"));
        List<io.joinery.admin.metadata.InheritedRole> inheritedRoles = inheritedRoles(document.path("inherited_roles"));
        unmapped.rest(document, "", Set.of("version", "sources", "remote_schemas", "custom_types", "actions", "query_collections",
                "allowlist", "graphql_schema_introspection", "inherited_roles"));
        return new ImportResult(new Metadata(Metadata.FORMAT_VERSION, sources, remoteSchemas, customTypes, actions, collections, allowlist,
                introspection, inheritedRoles), unmapped.entries(), notes(remoteSchemas));
    }

    /**
     * An export of remote schemas none of which has a permission most likely comes from a Hasura
     * that ran with its default, remote schema permissions off, where every role used every remote;
     * Joinery applies them unless told not to, and then such roles see none. Said, never guessed:
     * the export cannot tell that default from permissions enabled with none granted.
     */
    static List<String> notes(List<RemoteSchemaConfig> remoteSchemas) {
        if (remoteSchemas.isEmpty() || remoteSchemas.stream().anyMatch(remote -> !remote.permissions().isEmpty())) {
            return List.of();
        }
        return List.of("remote schemas " + remoteSchemas.stream().map(RemoteSchemaConfig::name).toList()
                + " have no remote schema permissions: with JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS (true by default) roles other"
                + " than admin see none of them; a Hasura with its default (HASURA_GRAPHQL_ENABLE_REMOTE_SCHEMA_PERMISSIONS unset)"
                + " let every role use them all, as JOINERY_ENABLE_REMOTE_SCHEMA_PERMISSIONS=false does");
    }

    /** Hasura's {@code inherited_roles: [{role_name, role_set}]}, as they are; one that does not convert is listed. */
    private List<io.joinery.admin.metadata.InheritedRole> inheritedRoles(JsonNode list) {
        List<io.joinery.admin.metadata.InheritedRole> roles = new java.util.ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode role = list.get(i);
            String path = "inherited_roles[" + UnmappedCollector.itemName(role, i) + "]";
            try {
                List<String> parents = new java.util.ArrayList<>();
                role.path("role_set").forEach(parent -> parents.add(parent.asText()));
                roles.add(new io.joinery.admin.metadata.InheritedRole(TableImport.requiredText(role, "role_name"), parents));
            } catch (io.joinery.admin.metadata.MetadataException e) {
                unmapped.add(path, "inherited role", e.getMessage());
            }
            unmapped.rest(role, path, Set.of("role_name", "role_set", "comment"));
        }
        return roles;
    }

    /** The version 3 document inside {@code hasuraExport}. */
    private static JsonNode document(JsonNode hasuraExport) {
        if (hasuraExport == null || !hasuraExport.isObject()) {
            throw new MetadataException("a Hasura metadata export is a JSON object");
        }
        if (hasuraExport.path("metadata").isObject() && hasuraExport.has("resource_version")) {
            return document(hasuraExport.get("metadata"));
        }
        JsonNode version = hasuraExport.path("version");
        int number = version.isIntegralNumber() ? version.intValue() : hasuraExport.has("sources") ? 3 : 2;
        return switch (number) {
            case 1, 2 -> fromSingleSource((ObjectNode) hasuraExport);
            case 3 -> hasuraExport;
            default -> throw new MetadataException("unsupported Hasura metadata version " + version + " (expected 2 or 3)");
        };
    }

    /** Hasura before v2 had one database: its tables and functions become the source {@code default}. */
    private static JsonNode fromSingleSource(ObjectNode legacy) {
        if (!legacy.has("tables")) {
            throw new MetadataException("not a Hasura metadata export: it has neither 'sources' nor 'tables'");
        }
        ObjectNode document = legacy.deepCopy();
        ObjectNode source = JsonNodeFactory.instance.objectNode().put("name", Source.DEFAULT).put("kind", "postgres");
        source.set("tables", document.remove("tables"));
        if (document.has("functions")) {
            source.set("functions", document.remove("functions"));
        }
        source.putObject("configuration").putObject("connection_info").putObject("database_url").put("from_env", HASURA_DATABASE_URL);
        document.put("version", 3);
        document.putArray("sources").add(source);
        return document;
    }

    private Optional<Source> source(JsonNode source, int index) {
        String name = UnmappedCollector.itemName(source, index);
        String path = "sources[" + name + "]";
        String kind = Optional.ofNullable(text(source.path("kind"))).orElse("postgres");
        if (!kind.equals("postgres")) {
            unmapped.add(path, "source '" + name + "'", "it is a " + kind + " source, and Joinery serves Postgres only");
            return Optional.empty();
        }
        ValueFrom url = databaseUrl(name, source.path("configuration"), child(path, "configuration"));
        TableImport tableImport = new TableImport(new Source(name, url, false, List.of()), foreignKeys, unmapped);
        List<TableConfig> tables = new ArrayList<>();
        JsonNode tableList = source.path("tables");
        for (int i = 0; i < tableList.size(); i++) {
            tableImport.convert(tableList.get(i), child(path, "tables"), i).ifPresent(tables::add);
        }
        List<TrackedFunction> functions = functions(source.path("functions"), child(path, "functions"));
        unmapped.rest(source, path, Set.of("name", "kind", "tables", "functions", "configuration"));
        return Optional.of(new Source(name, url, false, tables, functions));
    }

    /**
     * Hasura's tracked functions: {@code function} (a name or {schema, name}), the root field from
     * {@code configuration.custom_root_fields.function} or {@code custom_name}, and
     * {@code configuration.session_argument}. One exposed as a mutation, an aggregate root field
     * name and per-role function permissions are listed instead (Joinery serves functions as queries,
     * to every role that may select the returned table).
     */
    private List<TrackedFunction> functions(JsonNode list, String listPath) {
        List<TrackedFunction> functions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode function = list.get(i);
            String label = UnmappedCollector.itemName(function, i);
            String path = listPath + "[" + label + "]";
            JsonNode configuration = function.path("configuration");
            String configurationPath = child(path, "configuration");
            unmapped.rest(function, path, Set.of("function", "configuration", "permissions"));
            JsonNode permissions = function.path("permissions");
            for (int p = 0; p < permissions.size(); p++) {
                String role = UnmappedCollector.itemName(permissions.get(p), p);
                unmapped.add(child(path, "permissions") + "[" + role + "]", "function permission of role '" + role + "'",
                        "Joinery gives a tracked function to every role with a select permission on the table it returns"
                                + " (Hasura's inferred function permissions)");
            }
            if ("mutation".equals(text(configuration.path("exposed_as")))) {
                unmapped.add(child(configurationPath, "exposed_as"), "tracked function '" + label + "' exposed as a mutation",
                        "Joinery serves tracked functions as query root fields only");
                continue;
            }
            JsonNode customRootFields = configuration.path("custom_root_fields");
            unmapped.rest(configuration, configurationPath, Set.of("custom_root_fields", "custom_name", "session_argument", "exposed_as"));
            unmapped.rest(customRootFields, child(configurationPath, "custom_root_fields"), Set.of("function"));
            try {
                String name = Optional.ofNullable(text(customRootFields.path("function"))).orElse(text(configuration.path("custom_name")));
                functions.add(new TrackedFunction(TableImport.tableName(function.path("function")).toString(), name,
                        text(configuration.path("session_argument"))));
            } catch (MetadataException e) {
                unmapped.add(path, "tracked function '" + label + "'", e.getMessage());
            }
        }
        return functions;
    }

    /**
     * Null for the default source on Hasura's own database variable, or on none: Joinery's default
     * source without a URL is the sidecar's own database.
     */
    private ValueFrom databaseUrl(String source, JsonNode configuration, String path) {
        JsonNode connection = configuration.path("connection_info");
        String connectionPath = child(path, "connection_info");
        unmapped.rest(connection, connectionPath, Set.of("database_url"));
        unmapped.rest(configuration, path, Set.of("connection_info"));
        JsonNode url = connection.path("database_url");
        if (url.isTextual()) {
            return new ValueFrom(url.textValue(), null);
        }
        String fromEnv = text(url.path("from_env"));
        if (fromEnv != null) {
            return source.equals(Source.DEFAULT) && fromEnv.equals(HASURA_DATABASE_URL) ? null : new ValueFrom(null, fromEnv);
        }
        if (url.isMissingNode() && source.equals(Source.DEFAULT)) {
            return null;
        }
        unmapped.add(child(connectionPath, "database_url"), "database URL of source '" + source + "'",
                url.isMissingNode() ? "the export names none" : "Joinery takes a URL or {from_env: NAME}, not connection parameters");
        return null;
    }
}
