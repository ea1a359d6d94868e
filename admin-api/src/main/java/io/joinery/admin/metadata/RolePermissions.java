package io.joinery.admin.metadata;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** What one role may do on one table. Absent operations are denied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RolePermissions(@JsonProperty("select") SelectPermission select) {
}
