package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Map.entry;

/**
 * Collects the {@link Unmapped} entries of one import. Besides the entries the converters add, it
 * lists every key of a Hasura object that the converter did not read ({@link #rest}), so a Hasura
 * feature nobody thought of is still reported rather than lost.
 */
final class UnmappedCollector {

    static final String NO_MUTATIONS = "Joinery serves no update_many, nested inserts or insertion orders yet";
    static final String NO_COMMENTS = "Joinery's metadata has no place for comments";
    private static final String CONNECTION = "connection settings are configured per sidecar, not in Joinery's metadata";

    /** What a known Hasura key holds, and why Joinery has no place for it. */
    private record Kind(String noun, String reason) {
    }

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            // the document
            entry("cron_triggers", new Kind("cron trigger", "Joinery has no scheduled triggers")),
            entry("rest_endpoints", new Kind("REST endpoint", "Joinery has no RESTified endpoints")),
            entry("api_limits", new Kind("API limits", "Joinery has no API limits")),
            entry("metrics_config", new Kind("metrics settings", "Joinery configures telemetry per sidecar")),
            entry("opentelemetry", new Kind("OpenTelemetry settings", "Joinery configures telemetry per sidecar (OTEL_* variables)")),
            // a source
            entry("customization", new Kind("source customization", "Joinery has no source-wide renaming; rename tables one by one")),
            entry("logical_models", new Kind("logical model", "Joinery has no logical models")),
            entry("native_queries", new Kind("native query", "Joinery has no native queries")),
            entry("stored_procedures", new Kind("stored procedure", "Joinery does not expose stored procedures")),
            entry("health_check", new Kind("source health check", "Joinery reports sources in /health/ready")),
            entry("read_replicas", new Kind("read replica", "Joinery reads from the source's own URL only")),
            entry("pool_settings", new Kind("connection pool settings", CONNECTION)),
            entry("isolation_level", new Kind("isolation level", CONNECTION)),
            entry("use_prepared_statements", new Kind("prepared statement setting", CONNECTION)),
            entry("ssl_configuration", new Kind("SSL configuration", CONNECTION)),
            entry("connection_template", new Kind("connection template", CONNECTION)),
            entry("extensions_schema", new Kind("extensions schema", CONNECTION)),
            // a table
            entry("event_triggers", new Kind("event trigger", "Joinery has no event triggers")),
            entry("apollo_federation_config", new Kind("Apollo Federation settings", "Joinery is not a federation subgraph")),
            entry("insertion_order", new Kind("insertion order", NO_MUTATIONS)),
            entry("comment", new Kind("comment", NO_COMMENTS)),
            // a tracked function
            entry("function_aggregate", new Kind("aggregate root field name", "Joinery names a function's aggregate root field <name>_aggregate")));

    private static final List<String> NAME_KEYS = List.of("name", "role", "role_name", "collection", "type_name", "function");

    private final List<Unmapped> entries = new ArrayList<>();

    void add(String path, String what, String reason) {
        entries.add(new Unmapped(path, what, reason));
    }

    List<Unmapped> entries() {
        return List.copyOf(entries);
    }

    /**
     * Lists each key of {@code object} outside {@code handled} whose value says something (not null,
     * false, empty): the items of a known list one by one, named {@code key[name]}, anything else as
     * one entry.
     */
    void rest(JsonNode object, String path, Set<String> handled) {
        if (object == null || !object.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (!handled.contains(field.getKey()) && meaningful(field.getValue())) {
                leftover(child(path, field.getKey()), field.getKey(), field.getValue());
            }
        }
    }

    private void leftover(String path, String key, JsonNode value) {
        Kind kind = KINDS.get(key);
        if (kind == null) {
            add(path, "setting '" + key + "'", "the importer does not know this Hasura setting");
            return;
        }
        if (!value.isArray()) {
            add(path, kind.noun(), kind.reason());
            return;
        }
        for (int i = 0; i < value.size(); i++) {
            String name = itemName(value.get(i), i);
            add(path + "[" + name + "]", kind.noun() + " '" + name + "'", kind.reason());
        }
    }

    static boolean meaningful(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode()
                && !(value.isBoolean() && !value.booleanValue())
                && !(value.isContainerNode() && value.isEmpty())
                && !(value.isTextual() && value.textValue().isEmpty());
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The name Hasura gives a list item ({@code name}, {@code role}, ...), or its index. */
    static String itemName(JsonNode item, int index) {
        if (item.isTextual()) {
            return item.textValue();
        }
        for (String key : NAME_KEYS) {
            JsonNode name = item.path(key);
            if (name.isTextual()) {
                return name.textValue();
            }
            if (name.isObject() && name.path("name").isTextual()) {
                return TableImport.tableName(name).toString();
            }
        }
        return String.valueOf(index);
    }
}
