package io.joinery.admin.hasura;

import java.util.Objects;

/**
 * One part of a Hasura export that the import left out.
 *
 * @param path   where it was, by names rather than indexes:
 *               {@code sources[default].tables[article].insert_permissions[user]}
 * @param what   what it is, for a person: {@code insert permission of role 'user'}
 * @param reason why Joinery's document has no place for it, or what the import lacked to map it
 */
public record Unmapped(String path, String what, String reason) {

    public Unmapped {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return path + ": " + what + " (" + reason + ")";
    }
}
