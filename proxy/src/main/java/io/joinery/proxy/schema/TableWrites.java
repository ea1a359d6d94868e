package io.joinery.proxy.schema;

import io.joinery.admin.metadata.DeletePermission;
import io.joinery.admin.metadata.InsertPermission;
import io.joinery.admin.metadata.RolePermissions;
import io.joinery.admin.metadata.RootFieldNames;
import io.joinery.admin.metadata.TableConfig;
import io.joinery.admin.metadata.UpdatePermission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What mutations a tracked table offers: its mutation root field names (Hasura's, or the
 * {@code root_fields} the metadata gives), its primary key and unique constraints by name (what
 * {@code on_conflict} names), and the insert, update and delete permissions per role.
 */
public record TableWrites(String insert, String insertOne, String update, String updateByPk, String updateMany,
                          String delete, String deleteByPk, Map<String, List<String>> uniqueKeys,
                          Map<String, InsertPermission> inserts, Map<String, UpdatePermission> updates,
                          Map<String, DeletePermission> deletes) {

    public TableWrites {
        uniqueKeys = Collections.unmodifiableMap(new LinkedHashMap<>(uniqueKeys));
        inserts = Map.copyOf(inserts);
        updates = Map.copyOf(updates);
        deletes = Map.copyOf(deletes);
    }

    /** The mutations of {@code table}, as {@code config} names and permits them. */
    static TableWrites of(TableModel table, TableConfig config, Map<String, List<String>> uniqueKeys) {
        RootFieldNames names = config.rootFields();
        String type = table.typeName();
        Map<String, InsertPermission> inserts = new LinkedHashMap<>();
        Map<String, UpdatePermission> updates = new LinkedHashMap<>();
        Map<String, DeletePermission> deletes = new LinkedHashMap<>();
        for (Map.Entry<String, RolePermissions> entry : config.permissions().entrySet()) {
            RolePermissions permissions = entry.getValue();
            if (permissions.insert() != null) {
                inserts.put(entry.getKey(), permissions.insert());
            }
            if (permissions.update() != null) {
                updates.put(entry.getKey(), permissions.update());
            }
            if (permissions.delete() != null) {
                deletes.put(entry.getKey(), permissions.delete());
            }
        }
        return new TableWrites(orDefault(names.insert(), "insert_" + type), orDefault(names.insertOne(), "insert_" + type + "_one"),
                orDefault(names.update(), "update_" + type), orDefault(names.updateByPk(), "update_" + type + "_by_pk"),
                orDefault(names.updateMany(), "update_" + type + "_many"),
                orDefault(names.delete(), "delete_" + type), orDefault(names.deleteByPk(), "delete_" + type + "_by_pk"),
                uniqueKeys, inserts, updates, deletes);
    }

    /** These mutations with {@code inserts}, {@code updates} and {@code deletes} as the permissions by role (inherited roles' included). */
    public TableWrites withPermissions(Map<String, InsertPermission> inserts, Map<String, UpdatePermission> updates,
                                       Map<String, DeletePermission> deletes) {
        return new TableWrites(insert, insertOne, update, updateByPk, updateMany, delete, deleteByPk, uniqueKeys, inserts, updates, deletes);
    }

    /** The mutation root field names, in Hasura's order. */
    public List<String> rootFields() {
        return List.of(insert, insertOne, update, updateByPk, updateMany, delete, deleteByPk);
    }

    private static String orDefault(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
