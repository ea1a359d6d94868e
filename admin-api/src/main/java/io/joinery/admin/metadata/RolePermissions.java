package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one role may do on one table, per operation: {@code select} gives it the table's queries,
 * {@code insert}, {@code update} and {@code delete} its mutations. Absent operations are denied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolePermissions(
        @JsonProperty("select") SelectPermission select,
        @JsonProperty("insert") InsertPermission insert,
        @JsonProperty("update") UpdatePermission update,
        @JsonProperty("delete") DeletePermission delete) {

    @JsonCreator
    public RolePermissions {
    }

    /** A role that may only select. */
    public RolePermissions(SelectPermission select) {
        this(select, null, null, null);
    }

    /** The operations a permission is given for, by their keys in the document and in the admin API's paths. */
    public enum Operation {
        SELECT(SelectPermission.class), INSERT(InsertPermission.class), UPDATE(UpdatePermission.class), DELETE(DeletePermission.class);

        private final Class<? extends TablePermission> type;

        Operation(Class<? extends TablePermission> type) {
            this.type = type;
        }

        /** {@code select}, {@code insert}, {@code update} or {@code delete}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The record a permission for this operation is read into. */
        public Class<? extends TablePermission> type() {
            return type;
        }

        /** The operation of a key; empty for anything else (keys are lower case, as in the document). */
        public static Optional<Operation> of(String key) {
            return Arrays.stream(values()).filter(operation -> operation.key().equals(key)).findFirst();
        }
    }

    /** The permission for {@code operation}; empty when the role may not do it. */
    public Optional<TablePermission> permission(Operation operation) {
        return Optional.ofNullable(switch (operation) {
            case SELECT -> select;
            case INSERT -> insert;
            case UPDATE -> update;
            case DELETE -> delete;
        });
    }

    /** The permitted operations with their permissions, in the order select, insert, update, delete. */
    public Map<Operation, TablePermission> operations() {
        Map<Operation, TablePermission> operations = new LinkedHashMap<>();
        for (Operation operation : Operation.values()) {
            permission(operation).ifPresent(permission -> operations.put(operation, permission));
        }
        return operations;
    }

    /** These permissions with {@code operation}'s replaced by {@code permission}, or removed when it is null. */
    public RolePermissions with(Operation operation, TablePermission permission) {
        if (permission != null && !operation.type().isInstance(permission)) {
            throw new IllegalArgumentException("a " + operation.key() + " permission cannot be a " + permission.getClass().getSimpleName());
        }
        return switch (operation) {
            case SELECT -> new RolePermissions((SelectPermission) permission, insert, update, delete);
            case INSERT -> new RolePermissions(select, (InsertPermission) permission, update, delete);
            case UPDATE -> new RolePermissions(select, insert, (UpdatePermission) permission, delete);
            case DELETE -> new RolePermissions(select, insert, update, (DeletePermission) permission);
        };
    }
}
