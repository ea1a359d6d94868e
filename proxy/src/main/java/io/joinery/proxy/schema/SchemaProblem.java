package io.joinery.proxy.schema;

/**
 * Something the {@link SchemaModelBuilder} left out of the schema, and why: {@code message} is for
 * people (logs, reload answers), {@code kind} is for code, which never reads the message.
 *
 * Note [Problem kinds]
 * ~~~~~~~~~~~~~~~~~~~~
 * The engine's consistency checks ({@code io.joinery.proxy.EngineChecks}) report the problems only
 * schema generation finds and leave the others to the admin API's checks, which already report them
 * (a missing table or column, an unsuitable function, an unreachable source, an unavailable remote
 * schema). The kind says which: {@link Kind#REPORTED_ELSEWHERE} is not the engine's own, the other
 * kinds are, and they say what the problem is about, which is what the engine reports it under.
 */
public record SchemaProblem(Kind kind, String message) {

    public enum Kind {
        /** Reported by the admin checks (or unavailable at run time): not an engine consistency problem. */
        REPORTED_ELSEWHERE,
        /** A GraphQL name the schema would generate is invalid or taken. */
        GENERATED_NAME,
        /** A table's remote relationship does not resolve against its remote schema. */
        TABLE_REMOTE_RELATIONSHIP,
        /** A remote schema, its types' relationships or its names do not fit the schema. */
        REMOTE_SCHEMA,
        /** An inherited role's parents' permissions do not combine (Note [Inherited roles] in {@link InheritedRoles}). */
        INHERITED_ROLE
    }

    public SchemaProblem {
        if (kind == null || message == null) {
            throw new IllegalArgumentException("a schema problem has a kind and a message");
        }
    }

    @Override
    public String toString() {
        return message;
    }
}
