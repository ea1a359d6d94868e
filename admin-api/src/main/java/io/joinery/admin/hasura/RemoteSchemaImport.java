package io.joinery.admin.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.joinery.admin.metadata.MetadataException;
import io.joinery.admin.metadata.RemoteSchemaConfig;
import io.joinery.admin.metadata.RemoteSchemaConfig.Customization;
import io.joinery.admin.metadata.RemoteSchemaPermission;
import io.joinery.admin.metadata.TypeRelationship;
import io.joinery.admin.metadata.ValueFrom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.joinery.admin.hasura.TableImport.requiredText;
import static io.joinery.admin.hasura.TableImport.text;
import static io.joinery.admin.hasura.UnmappedCollector.child;

/**
 * Converts Hasura's remote schemas. Header names and values are kept as they are, {@code x-hasura-*}
 * included: they are what the remote receives (another Hasura may well expect
 * {@code X-Hasura-Admin-Secret}), and Hasura sends them literally, never as session variables.
 */
final class RemoteSchemaImport {

    /** Hasura's {@code {{NAME}}} environment template; a URL that is nothing else maps to {@code {from_env: NAME}}. */
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private final UnmappedCollector unmapped;

    RemoteSchemaImport(UnmappedCollector unmapped) {
        this.unmapped = unmapped;
    }

    Optional<RemoteSchemaConfig> convert(JsonNode schema, int index) {
        String name = UnmappedCollector.itemName(schema, index);
        String path = "remote_schemas[" + name + "]";
        Optional<RemoteSchemaConfig> config;
        try {
            config = Optional.of(config(schema, child(path, "definition"))
                    .withRelationships(typeRelationships(schema.path("remote_relationships"), child(path, "remote_relationships")))
                    .withPermissions(permissions(schema.path("permissions"), child(path, "permissions"))));
        } catch (MetadataException e) {
            unmapped.add(path, "remote schema '" + name + "'", e.getMessage());
            config = Optional.empty();
        }
        unmapped.rest(schema, path, Set.of("name", "definition", "remote_relationships", "permissions"));
        return config;
    }

    /** A preset that is a session variable in Hasura: {@code @preset(value: "x-hasura-...")} without {@code static}. */
    private static final Pattern SESSION_PRESET = Pattern.compile("(@preset\\(\\s*value\\s*:\\s*\")([xX]-[hH][aA][sS][uU][rR][aA]-[^\"]*)(\"\\s*\\))");

    /**
     * Hasura's {@code permissions: [{role, definition: {schema}}]} of a remote schema (remote
     * schema permissions): the SDL is kept, its session variable presets renamed to Joinery's
     * ({@code "X-Hasura-User-Id"} → {@code "x-joinery-user-id"}). One that does not convert is listed.
     */
    private Map<String, RemoteSchemaPermission> permissions(JsonNode list, String listPath) {
        Map<String, RemoteSchemaPermission> permissions = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode permission = list.get(i);
            String role = text(permission.path("role"));
            String path = listPath + "[" + (role == null ? String.valueOf(i) : role) + "]";
            try {
                String sdl = requiredText(permission.path("definition"), "schema");
                Matcher preset = SESSION_PRESET.matcher(sdl);
                StringBuilder renamed = new StringBuilder();
                while (preset.find()) {
                    preset.appendReplacement(renamed, Matcher.quoteReplacement(preset.group(1) + SessionVariables.rename(preset.group(2)) + preset.group(3)));
                }
                preset.appendTail(renamed);
                permissions.put(requiredText(permission, "role"), new RemoteSchemaPermission(renamed.toString()));
            } catch (MetadataException e) {
                unmapped.add(path, "permission of role '" + role + "'", e.getMessage());
            }
            unmapped.rest(permission, path, Set.of("role", "definition", "comment"));
            unmapped.rest(permission.path("definition"), child(path, "definition"), Set.of("schema"));
        }
        return permissions;
    }

    /**
     * Hasura's {@code remote_relationships: [{type_name, relationships: [{name, definition}]}]} of a
     * remote schema: {@code to_source} becomes a relationship to a table ({@code on}: the type's
     * fields to the table's columns), {@code to_remote_schema} a remote relationship whose
     * {@code $field}s are the type's fields. One that does not convert is listed; the rest stay.
     */
    private Map<String, Map<String, TypeRelationship>> typeRelationships(JsonNode list, String listPath) {
        Map<String, Map<String, TypeRelationship>> types = new LinkedHashMap<>();
        for (JsonNode type : list) {
            String typeName = requiredText(type, "type_name");
            String typePath = listPath + "[" + typeName + "]";
            JsonNode relationships = type.path("relationships");
            for (int i = 0; i < relationships.size(); i++) {
                JsonNode relationship = relationships.get(i);
                String label = UnmappedCollector.itemName(relationship, i);
                String path = child(typePath, "relationships") + "[" + label + "]";
                try {
                    String name = requiredText(relationship, "name");
                    JsonNode definition = relationship.path("definition");
                    if (!definition.path("to_source").isObject() && !definition.path("to_remote_schema").isObject()) {
                        throw new MetadataException("its definition has neither to_source nor to_remote_schema");
                    }
                    Optional<TypeRelationship> converted = definition.path("to_source").isObject()
                            ? Optional.of(TypeRelationship.of(TableImport.toSource(definition, child(path, "definition"), unmapped)))
                            : TableImport.remoteRelationship(definition, path, unmapped).map(TypeRelationship::of);
                    converted.ifPresent(r -> types.computeIfAbsent(typeName, t -> new LinkedHashMap<>()).put(name, r));
                } catch (MetadataException e) {
                    unmapped.add(path, "relationship '" + label + "' of remote type " + typeName, e.getMessage());
                }
                unmapped.rest(relationship, path, Set.of("name", "definition"));
            }
            unmapped.rest(type, typePath, Set.of("type_name", "relationships"));
        }
        return types;
    }

    private RemoteSchemaConfig config(JsonNode schema, String path) {
        JsonNode definition = schema.path("definition");
        JsonNode timeout = definition.path("timeout_seconds");
        RemoteSchemaConfig config = new RemoteSchemaConfig(
                requiredText(schema, "name"),
                url(definition),
                headers(definition.path("headers")),
                definition.path("forward_client_headers").booleanValue(),
                timeout.isIntegralNumber() ? timeout.intValue() : null,
                null,
                customization(definition.path("customization"), child(path, "customization")));
        unmapped.rest(definition, path, Set.of("url", "url_from_env", "headers", "forward_client_headers",
                "timeout_seconds", "customization"));
        return config;
    }

    private static ValueFrom url(JsonNode definition) {
        String fromEnv = text(definition.path("url_from_env"));
        if (fromEnv != null) {
            return new ValueFrom(null, fromEnv);
        }
        String url = text(definition.path("url"));
        if (url == null) {
            throw new MetadataException("the definition has neither url nor url_from_env");
        }
        return fromTemplate("url", url);
    }

    /**
     * A URL as Joinery writes it: {@code {from_env: NAME}} for a Hasura template that is nothing but
     * {@code {{NAME}}}, else the literal; a template mixed with text has no Joinery form.
     *
     * @param key the key the value goes to, for the message
     */
    static ValueFrom fromTemplate(String key, String url) {
        Matcher template = TEMPLATE.matcher(url);
        if (template.matches()) {
            return new ValueFrom(null, template.group(1));
        }
        if (template.find()) {
            throw new MetadataException(key + " " + url + " mixes an environment variable with text; Joinery reads a whole URL"
                    + " from one variable: set one to the full URL and write " + key + ": {from_env: NAME}");
        }
        return new ValueFrom(url, null);
    }

    /** Hasura's {@code [{name, value | value_from_env}]}, kept literally (names and values alike). */
    static Map<String, ValueFrom> headers(JsonNode list) {
        Map<String, ValueFrom> headers = new LinkedHashMap<>();
        for (JsonNode header : list) {
            String name = requiredText(header, "name");
            String fromEnv = text(header.path("value_from_env"));
            String value = text(header.path("value"));
            if (fromEnv == null && value == null) {
                throw new MetadataException("header " + name + " has neither value nor value_from_env");
            }
            headers.put(name, fromEnv != null ? new ValueFrom(null, fromEnv) : new ValueFrom(value, null));
        }
        return headers;
    }

    private Customization customization(JsonNode customization, String path) {
        JsonNode typeNames = customization.path("type_names");
        unmapped.rest(typeNames, child(path, "type_names"), Set.of("prefix", "suffix", "mapping"));
        unmapped.rest(customization, path, Set.of("root_fields_namespace", "type_names", "field_names"));
        Map<String, String> typeMapping = new java.util.LinkedHashMap<>();
        typeNames.path("mapping").properties().forEach(entry -> typeMapping.put(entry.getKey(), entry.getValue().asText()));
        List<RemoteSchemaConfig.FieldNames> fieldNames = new java.util.ArrayList<>();
        JsonNode fields = customization.path("field_names");
        for (int i = 0; i < fields.size(); i++) {
            JsonNode entry = fields.get(i);
            unmapped.rest(entry, child(path, "field_names") + "[" + i + "]", Set.of("parent_type", "prefix", "suffix", "mapping"));
            Map<String, String> mapping = new java.util.LinkedHashMap<>();
            entry.path("mapping").properties().forEach(field -> mapping.put(field.getKey(), field.getValue().asText()));
            fieldNames.add(new RemoteSchemaConfig.FieldNames(text(entry.path("parent_type")), text(entry.path("prefix")),
                    text(entry.path("suffix")), mapping));
        }
        return new Customization(text(customization.path("root_fields_namespace")), text(typeNames.path("prefix")),
                text(typeNames.path("suffix")), typeMapping, fieldNames);
    }
}
