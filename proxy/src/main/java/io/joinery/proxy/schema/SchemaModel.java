package io.joinery.proxy.schema;

import io.joinery.proxy.remote.RemoteSchema;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The consistent part of the metadata, resolved against live catalogs: tracked tables by key, in
 * metadata order, the usable remote schemas, the fields their types get from tables
 * ({@code remoteTypeRelationships}) and from remote schemas ({@code remoteTypeRemoteRelationships}),
 * each by remote name, the tracked functions (query root fields returning a table's rows, as
 * {@link ComputedFieldModel}s without a row argument), plus the problems found (objects left out of
 * the schema, each with its reason and kind: {@link SchemaProblem}), and the mutations of each table
 * by key ({@link TableWrites}), and the actions and custom types it serves ({@link ActionsModel}).
 */
public record SchemaModel(Map<String, TableModel> tables, Map<String, RemoteSchema> remotes,
                          Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships,
                          Map<String, List<RemoteTypeRemoteRelationship>> remoteTypeRemoteRelationships, List<SchemaProblem> problems,
                          List<ComputedFieldModel> functions, Map<String, TableWrites> writes, ActionsModel actions) {

    public SchemaModel {
        actions = actions == null ? ActionsModel.NONE : actions;
        functions = List.copyOf(functions);
        writes = Map.copyOf(writes);
        tables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        remotes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(remotes));
        remoteTypeRelationships = Map.copyOf(remoteTypeRelationships);
        remoteTypeRemoteRelationships = Map.copyOf(remoteTypeRemoteRelationships);
        problems = List.copyOf(problems);
    }

    public SchemaModel(Map<String, TableModel> tables, Map<String, RemoteSchema> remotes,
                       Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships, List<SchemaProblem> problems) {
        this(tables, remotes, remoteTypeRelationships, Map.of(), problems);
    }

    public SchemaModel(Map<String, TableModel> tables, Map<String, RemoteSchema> remotes,
                       Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships,
                       Map<String, List<RemoteTypeRemoteRelationship>> remoteTypeRemoteRelationships, List<SchemaProblem> problems) {
        this(tables, remotes, remoteTypeRelationships, remoteTypeRemoteRelationships, problems, List.of());
    }

    public SchemaModel(Map<String, TableModel> tables, Map<String, RemoteSchema> remotes,
                       Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships,
                       Map<String, List<RemoteTypeRemoteRelationship>> remoteTypeRemoteRelationships, List<SchemaProblem> problems,
                       List<ComputedFieldModel> functions) {
        this(tables, remotes, remoteTypeRelationships, remoteTypeRemoteRelationships, problems, functions, Map.of());
    }

    public SchemaModel(Map<String, TableModel> tables, Map<String, RemoteSchema> remotes,
                       Map<String, List<RemoteTypeRelationship>> remoteTypeRelationships,
                       Map<String, List<RemoteTypeRemoteRelationship>> remoteTypeRemoteRelationships, List<SchemaProblem> problems,
                       List<ComputedFieldModel> functions, Map<String, TableWrites> writes) {
        this(tables, remotes, remoteTypeRelationships, remoteTypeRemoteRelationships, problems, functions, writes, ActionsModel.NONE);
    }

    /** The same model serving {@code actions} (resolved against it: {@link ActionsModel#of}). */
    public SchemaModel withActions(ActionsModel actions) {
        return new SchemaModel(tables, remotes, remoteTypeRelationships, remoteTypeRemoteRelationships, problems, functions, writes, actions);
    }

    /** The mutations a table offers (none for a view, or for a table of a model built without them). */
    public Optional<TableWrites> writes(TableModel table) {
        return Optional.ofNullable(writes.get(table.key()));
    }

    public Collection<TableModel> allTables() {
        return tables.values();
    }

    public TableModel table(String key) {
        TableModel table = tables.get(key);
        if (table == null) {
            throw new IllegalArgumentException("no table " + key);
        }
        return table;
    }

    /** The table relationships of one type of a remote schema. */
    public List<RemoteTypeRelationship> relationshipsOf(String remote, String typeName) {
        return remoteTypeRelationships.getOrDefault(remote, List.of()).stream().filter(r -> r.typeName().equals(typeName)).toList();
    }

    /**
     * Whether {@code typeName} is the enum of an enum table ({@link EnumTypeModel}): a variable of it
     * is a value bound as a parameter, not a structural variable that the plan cache keys on.
     */
    public boolean isEnumTableType(String typeName) {
        return tables.values().stream().flatMap(t -> t.columns().stream())
                .anyMatch(c -> c.enumReference() && c.enumType().name().equals(typeName));
    }

    /** The remote schema relationships of one type of a remote schema (its own type name). */
    public List<RemoteTypeRemoteRelationship> remoteRelationshipsOf(String remote, String typeName) {
        return remoteTypeRemoteRelationships.getOrDefault(remote, List.of()).stream().filter(r -> r.typeName().equals(typeName)).toList();
    }

    /** Whether any type of a remote schema gets fields from tables or remote schemas. */
    public boolean hasTypeRelationships(String remote) {
        return remoteTypeRelationships.containsKey(remote) || remoteTypeRemoteRelationships.containsKey(remote);
    }

    public Optional<TableModel> byTypeName(String typeName) {
        return tables.values().stream().filter(t -> t.typeName().equals(typeName)).findFirst();
    }
}
