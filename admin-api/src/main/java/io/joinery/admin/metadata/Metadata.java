package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Metadata(
        @JsonProperty("version") int version,
        @JsonProperty("sources") List<Source> sources,
        @JsonProperty("remote_schemas") List<RemoteSchemaConfig> remoteSchemas) {

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
    }

    public Metadata(int version, List<Source> sources) {
        this(version, sources, List.of());
    }

    public static Metadata empty() {
        return new Metadata(FORMAT_VERSION, List.of(), List.of());
    }

    public Optional<RemoteSchemaConfig> remoteSchema(String name) {
        return remoteSchemas.stream().filter(r -> Objects.equals(r.name(), name)).findFirst();
    }

    public Optional<Source> source(String name) {
        return sources.stream().filter(s -> Objects.equals(s.name(), name)).findFirst();
    }
}
