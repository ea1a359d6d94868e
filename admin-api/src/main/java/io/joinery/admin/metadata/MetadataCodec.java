package io.joinery.admin.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes metadata documents as JSON or YAML; unknown keys are errors, not silently ignored. */
public final class MetadataCodec {

    // Not FAIL_ON_NULL_FOR_PRIMITIVES: Jackson applies it to an omitted record component too, so a
    // JSON document leaving out a false boolean (as toJson writes it) would not parse back.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    // Exported YAML is meant to be kept in git and edited by hand: no "---", quotes only where a
    // string would otherwise read back as something else (a number, true, null, "a: b"), and
    // multi-line text (a custom type's SDL) as a block.
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .build();

    private MetadataCodec() {
    }

    public static Metadata read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new MetadataException("cannot read metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses JSON or YAML (JSON is YAML, but the JSON parser gives better messages for it). */
    public static Metadata parse(String text) {
        String trimmed = text.stripLeading();
        ObjectMapper mapper = trimmed.startsWith("{") ? JSON : YAML;
        try {
            Metadata metadata = mapper.readValue(text, Metadata.class);
            return metadata == null ? Metadata.empty() : metadata;
        } catch (JsonMappingException e) {
            throw invalid(e);
        } catch (JsonProcessingException e) {
            throw new MetadataException("metadata is not valid " + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Converts an already parsed JSON or YAML tree into the document or one of its parts (a
     * {@link TableConfig}, a {@link Relationship}, ...), with the same strictness and messages as
     * {@link #parse(String)}. Used by the admin API, which parses request bodies itself to tell
     * malformed text from a malformed document.
     */
    public static <T> T convert(JsonNode tree, Class<T> type) {
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new MetadataException("expected a " + type.getSimpleName() + " object, got nothing");
        }
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            throw invalid(e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MetadataException("invalid metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #convert}, for a part read by another part's creator (the two shapes of a
     * {@link TypeRelationship}): the message says what is wrong below the part, and the reader of
     * the whole document puts the part's place in front of it.
     */
    static <T> T convertPart(JsonNode tree, Class<T> type) {
        try {
            return JSON.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String path = path(e);
            String reason = reason(e);
            throw new MetadataException(path.equals("$") ? reason : "at " + path.substring(path.startsWith("$.") ? 2 : 1) + ": " + reason, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MetadataException(e.getMessage(), e);
        }
    }

    /** The document or one of its parts as a JSON tree, in the form {@link #toJson} writes. */
    public static JsonNode toTree(Object part) {
        return JSON.valueToTree(part);
    }

    private static MetadataException invalid(JsonMappingException e) {
        return new MetadataException("invalid metadata at " + path(e) + ": " + reason(e), e.getCause() instanceof MetadataException m ? m : e);
    }

    private static String reason(JsonMappingException e) {
        if (e.getCause() instanceof MetadataException m) {
            return m.getMessage();
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName()
                    + "' (known keys: " + String.join(", ", u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")";
        }
        return e.getOriginalMessage();
    }

    public static String toJson(Metadata metadata) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toYaml(Metadata metadata) {
        try {
            return YAML.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
