package io.joinery.admin.check;

import io.joinery.admin.metadata.QualifiedName;
import io.joinery.admin.metadata.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * An object of the metadata document that can be inconsistent or depend on another: a source, a
 * tracked table, a relationship, a role's permissions, an action, a custom type and its relationships. {@link #describe()} is the text a
 * {@link Problem} carries as its {@code object}; tables of the default source leave the source out.
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
                case PermissionRef p -> p.table();
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

    /** The permissions of one role on a tracked table. */
    record PermissionRef(TableRef table, String role) implements MetadataObject {
        @Override
        public String describe() {
            return table.describe() + ", permission " + role;
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
