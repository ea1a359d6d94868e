package io.joinery.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.joinery.admin.metadata.MetadataCodec;
import io.joinery.admin.metadata.MetadataException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Request bodies in, response bodies out. A body is JSON or YAML, chosen by {@code Content-Type}
 * (or by its first character when there is none); text that does not parse is {@code invalid-json},
 * a tree that is not the expected document part is {@code invalid-metadata}.
 */
final class Bodies {

    static final List<MediaType> YAML_TYPES = List.of(MediaTypes.APPLICATION_YAML, MediaTypes.APPLICATION_X_YAML,
            MediaTypes.TEXT_YAML, MediaTypes.TEXT_X_YAML);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Bodies() {
    }

    /** The body as {@code type} (the document or one of its parts). */
    static <T> T read(ServerRequest request, Class<T> type) {
        return convert(tree(request), type);
    }

    static <T> T convert(JsonNode tree, Class<T> type) {
        try {
            return MetadataCodec.convert(tree, type);
        } catch (MetadataException e) {
            throw AdminError.invalidMetadata(e.getMessage());
        }
    }

    /** The body as a JSON tree, parsed as JSON or YAML. */
    static JsonNode tree(ServerRequest request) {
        String text = request.content().hasEntity() ? request.content().as(String.class) : "";
        if (text.isBlank()) {
            throw AdminError.invalidJson("the request needs a JSON or YAML body");
        }
        boolean yaml = isYaml(request.headers().contentType(), text);
        try {
            JsonNode tree = (yaml ? YAML : JSON).readTree(text);
            if (tree == null || tree.isMissingNode()) {
                throw AdminError.invalidJson("the request needs a JSON or YAML body");
            }
            return tree;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw AdminError.invalidJson("the body is not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage()
                    + (location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"));
        }
    }

    /**
     * The body as a {@code type} whose {@code key} (its name) defaults to the path's {@code name};
     * a body naming another {@code what} is refused with 400.
     */
    static <T> T named(ServerRequest request, String key, String name, Class<T> type, Function<T, String> nameOf, String what) {
        JsonNode body = tree(request);
        if (body instanceof ObjectNode object && !object.has(key)) {
            object.put(key, name);
        }
        T value = convert(body, type);
        String given = nameOf.apply(value);
        if (!given.equals(name)) {
            throw AdminError.invalidMetadata("the body names " + what + " '" + given + "' but the path names '" + name + "'");
        }
        return value;
    }

    /** A JSON object of {@code keysAndValues}, in their order. */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A response body as JSON bytes. */
    static byte[] json(Object body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }

    private static boolean isYaml(Optional<HttpMediaType> contentType, String text) {
        if (contentType.isEmpty()) {
            char first = text.strip().charAt(0);
            return first != '{' && first != '[';
        }
        HttpMediaType type = contentType.get();
        if (type.test(MediaTypes.APPLICATION_JSON)) {
            return false;
        }
        if (YAML_TYPES.stream().anyMatch(type::test)) {
            return true;
        }
        throw new AdminError(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported-media-type",
                "send application/json or application/yaml, not " + type.mediaType().text());
    }
}
