package io.joinery.admin.check;

import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.RolePermissions.Operation;
import io.joinery.admin.metadata.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * An object of the metadata document that can be inconsistent or depend on another: a source, a
 * tracked table, a relationship, a computed field, a role's permissions and the permission of each of
 * its operations, a tracked function, an action, a custom type and its relationships. {@link #describe()} is the text a {@link Problem}
 * carries as its {@code object}; tables of the default source leave the source out.
 */
public sealed interface MetadataObject {

    /** The name people read, e.g. {@code table author, relationship articles}. */
    String describe();

    /** The objects this one belongs to, outermost first, ending with this one. */
    default List<MetadataObject> lineage() {
        List<MetadataObject> lineage = new ArrayList<>();
        MetadataObject current = this;
        while (current != null) {
            lineage.addFirst(current);
            current = switch (current) {
                case SourceRef s -> null;
                case TableRef t -> new SourceRef(t.source());
                case RelationshipRef r -> r.table();
                case ComputedFieldRef c -> c.table();
                case PermissionRef p -> p.operation() == null ? p.table() : new PermissionRef(p.table(), p.role());
                case FunctionRef f -> new SourceRef(f.source());
                case ActionRef a -> null;
                case CustomTypeRef c -> null;
                case CustomTypeRelationshipRef r -> r.type();
            };
        }
        return lineage;
    }

    /** A source (a database). */
    record SourceRef(String source) implements MetadataObject {
        @Override
        public String describe() {
            return "source " + source;
        }
    }

    /** A tracked table of a source. */
    record TableRef(String source, QualifiedName table) implements MetadataObject {
        @Override
        public String describe() {
            return (Source.DEFAULT.equals(source) ? "" : "source " + source + ", ") + "table " + table;
        }
    }

    /** A relationship declared on a tracked table. */
    record RelationshipRef(TableRef table, String name) implements MetadataObject {
        @Override
        public String describe() {
            return table.describe() + ", relationship " + name;
        }
    }

    /** A computed field of a tracked table ({@code table author, computed field full_name}). */
    record ComputedFieldRef(TableRef table, String name) implements MetadataObject {
        @Override
        public String describe() {
            return table.describe() + ", computed field " + name;
        }
    }

    /**
     * The permission of one role for one operation on a tracked table ({@code table article, insert
     * permission user}), or, with {@code operation} null, all of the role's permissions there
     * ({@code table article, permission user}), which its operations belong to.
     */
    record PermissionRef(TableRef table, String role, Operation operation) implements MetadataObject {

        /** All the permissions of {@code role} on {@code table}. */
        public PermissionRef(TableRef table, String role) {
            this(table, role, null);
        }

        @Override
        public String describe() {
            return table.describe() + ", " + (operation == null ? "" : operation.key() + " ") + "permission " + printable(role);
        }

        /** A role name as it may be shown: one that is not valid has its other characters escaped ({@code \\u000a}), so no message breaks a line. */
        static String printable(String role) {
            if (io.joinery.policies.RoleNames.isValid(role)) {
                return role;
            }
            StringBuilder shown = new StringBuilder("'");
            role.codePoints().forEach(c -> shown.append(c >= 0x20 && c < 0x7f && c != '\'' && c != '\\'
                    ? Character.toString(c) : String.format("\\u%04x", c)));
            return shown.append('\'').toString();
        }
    }

    /** A tracked function of a source ({@code function search_articles}; the source named outside the default one). */
    record FunctionRef(String source, QualifiedName function) implements MetadataObject {
        @Override
        public String describe() {
            return (Source.DEFAULT.equals(source) ? "" : "source " + source + ", ") + "function " + function;
        }
    }

    /** An action. */
    record ActionRef(String name) implements MetadataObject {
        @Override
        public String describe() {
            return "action " + name;
        }
    }

    /** A custom type, by the name its definition gives ({@code #3} for the third when it names none). */
    record CustomTypeRef(String name) implements MetadataObject {
        @Override
        public String describe() {
            return "custom type " + name;
        }
    }

    /** A relationship of a custom object type to a table. */
    record CustomTypeRelationshipRef(CustomTypeRef type, String name) implements MetadataObject {
        @Override
        public String describe() {
            return type.describe() + ", relationship " + name;
        }
    }
}
