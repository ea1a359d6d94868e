package io.joinery.admin.metadata;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a role may do for one operation on a table: read ({@link SelectPermission}), add
 * ({@link InsertPermission}), change ({@link UpdatePermission}) or remove ({@link DeletePermission})
 * rows. A {@link RolePermissions} holds at most one of each; an absent one is denied.
 */
public sealed interface TablePermission permits SelectPermission, InsertPermission, UpdatePermission, DeletePermission {

    /**
     * A permission's {@code filter} or {@code check} as read: absent (null, also for JSON null) or an
     * object, which the consistency checks then check as a boolean expression.
     */
    static JsonNode booleanExpression(String key, JsonNode expression) {
        if (expression == null || expression.isNull() || expression.isMissingNode()) {
            return null;
        }
        if (!expression.isObject()) {
            throw new MetadataException("a permission's " + key + " is a boolean expression object such as {column: {_eq: value}}, not "
                    + expression);
        }
        return expression;
    }
}
