package io.joinery.proxy.plan;

import graphql.language.Type;

import java.util.List;

/**
 * What a client selected of one object of an action's answer, by response key in the client's
 * order (fragments inlined, fields merged): the handler's answer is shaped to it
 * ({@code action.ActionOutputShaper}), so fields the client did not ask for never reach the response.
 */
public sealed interface ActionSelection {

    /** The response key. */
    String key();

    /** {@code __typename} of the custom object type. */
    record Typename(String key, String typeName) implements ActionSelection {
    }

    /**
     * The field {@code field} of the answer, of GraphQL type {@code type}; {@code fields}: what is
     * selected of its objects (empty for a scalar or an enum).
     */
    record Value(String key, String field, Type<?> type, List<ActionSelection> fields) implements ActionSelection {
        public Value {
            fields = List.copyOf(fields);
        }
    }

    /**
     * A relationship to a table ({@link RemoteTableJoin} of the same {@code key}): the answer's fields
     * {@code keyFields} are written under the phantom {@code keyAliases}, which the join stage takes
     * out (Note [Phantom join keys] in {@link JoinSpec}).
     */
    record Join(String key, List<String> keyFields, List<String> keyAliases) implements ActionSelection {
        public Join {
            keyFields = List.copyOf(keyFields);
            keyAliases = List.copyOf(keyAliases);
        }
    }
}
