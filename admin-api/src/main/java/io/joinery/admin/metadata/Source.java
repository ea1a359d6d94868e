package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * A Postgres database. {@code url} is a connection URL or {@code {from_env: VAR}}; empty for the
 * default source means the sidecar's own database ({@code JOINERY_DATABASE_URL}).
 * {@code inferRelationships} derives object and array relationships from foreign keys for the
 * tracked tables; declared relationships win over inferred ones of the same name. {@code functions}
 * are Hasura's tracked functions: SQL functions returning a tracked table's rows, as query root fields.
 * {@code statementTimeoutMs}, when set, is the longest a statement on this source may run (else the
 * sidecar's {@code JOINERY_STATEMENT_TIMEOUT_MS}).
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Source(
        @JsonProperty("name") String name,
        @JsonProperty("url") ValueFrom url,
        @JsonProperty("infer_relationships") boolean inferRelationships,
        @JsonProperty("tables") List<TableConfig> tables,
        @JsonProperty("functions") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TrackedFunction> functions,
        @JsonProperty("statement_timeout_ms") Integer statementTimeoutMs) {

    public static final String DEFAULT = "default";

    public Source {
        name = name == null || name.isBlank() ? DEFAULT : name;
        tables = tables == null ? List.of() : List.copyOf(tables);
        functions = functions == null ? List.of() : List.copyOf(functions);
        long distinct = tables.stream().map(TableConfig::qualifiedName).distinct().count();
        if (distinct != tables.size()) {
            throw new MetadataException("source '" + name + "' tracks a table twice");
        }
        if (statementTimeoutMs != null && statementTimeoutMs <= 0) {
            throw new MetadataException("source '" + name + "': statement_timeout_ms must be a positive number of milliseconds, got " + statementTimeoutMs);
        }
    }

    /** A source with the sidecar's statement timeout. */
    public Source(String name, ValueFrom url, boolean inferRelationships, List<TableConfig> tables, List<TrackedFunction> functions) {
        this(name, url, inferRelationships, tables, functions, null);
    }

    /** A source without tracked functions. */
    public Source(String name, ValueFrom url, boolean inferRelationships, List<TableConfig> tables) {
        this(name, url, inferRelationships, tables, List.of());
    }

    /** This source with {@code tracked} as its functions. */
    public Source withFunctions(List<TrackedFunction> tracked) {
        return new Source(name, url, inferRelationships, tables, tracked, statementTimeoutMs);
    }

    public Optional<TableConfig> table(QualifiedName qualified) {
        return tables.stream().filter(t -> t.qualifiedName().equals(qualified)).findFirst();
    }
}
