package io.joinery.proxy.schema;

import graphql.language.Type;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An action as the engine serves it: a query or mutation root field ({@code name}) whose arguments
 * and output are GraphQL type references to built-in and Postgres scalars and custom types,
 * answered by POSTing to its handler. The handler URL and header values are read from the
 * environment once, when the metadata version is built ({@link Setting}: an unset variable fails
 * each call with a clear error, as a remote schema's does not start). An {@code asynchronous}
 * mutation answers an action id at once and has a query field of the same name that reads the
 * handler's result later ({@code action.AsyncActions}).
 */
public record ActionModel(String name, boolean mutation, Map<String, Type<?>> arguments, Type<?> output, Setting handler,
                          Map<String, Setting> headers, boolean forwardClientHeaders, Duration timeout, Set<String> roles,
                          boolean asynchronous) {

    public ActionModel {
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        roles = Set.copyOf(roles);
    }

    /** Whether {@code role} may see and call it (the admin may call every action). */
    public boolean allows(String role) {
        return RoleAccess.ADMIN.equals(role) || roles.contains(role);
    }

    /** A configuration value: the value, or the name of the environment variable that is not set. */
    public record Setting(String value, String unsetVariable) {
        public Setting {
            if ((value == null) == (unsetVariable == null)) {
                throw new IllegalArgumentException("a setting is a value or an unset variable");
            }
        }
    }
}
