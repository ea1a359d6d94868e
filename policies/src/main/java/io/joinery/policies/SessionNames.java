package io.joinery.policies;

import java.util.Locale;

/**
 * Which header and claim names are session variables, and under which name. Always the
 * {@code x-joinery-*} ones; with {@code acceptHasura} (the migration aid,
 * {@code JOINERY_ACCEPT_HASURA_SESSION}) also {@code x-hasura-*}, read as their {@code x-joinery-*}
 * names, so that tokens, hooks and clients made for Hasura work unchanged during a move. When a
 * caller sends both spellings of one variable, the {@code x-joinery-*} one wins ({@link #prefer}).
 */
public record SessionNames(boolean acceptHasura) {

    public static final String HASURA_PREFIX = "x-hasura-";

    /** The session variable a header or claim name stands for (lower case), or null when it is none. */
    public String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith(Session.PREFIX)) {
            return lower;
        }
        if (acceptHasura && lower.startsWith(HASURA_PREFIX)) {
            return Session.PREFIX + lower.substring(HASURA_PREFIX.length());
        }
        return null;
    }

    /** Whether a value under {@code name} may replace one already read for the same variable: a Hasura spelling never replaces a Joinery one. */
    public boolean prefer(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith(Session.PREFIX);
    }

    /**
     * The session variables among {@code values} (header or claim names to values), by their
     * {@code x-joinery-*} names; the admin secret is never one.
     */
    public java.util.Map<String, String> variables(java.util.Map<String, String> values) {
        java.util.Map<String, String> variables = new java.util.TreeMap<>();
        values.forEach((name, value) -> {
            String variable = canonical(name);
            if (variable != null && !variable.equals(SessionResolver.ADMIN_SECRET_HEADER) && value != null
                    && (prefer(name) || !variables.containsKey(variable))) {
                variables.put(variable, value);
            }
        });
        return variables;
    }

    /**
     * The role a request asks for ({@code x-joinery-role}, or with the migration aid
     * {@code x-hasura-role}), or null: the same as {@code variables(headers).get(Session.ROLE)}
     * without reading every header.
     *
     * @param headers the request's headers by lower-case name
     */
    public String requestedRole(java.util.Map<String, String> headers) {
        String role = headers.get(Session.ROLE);
        return role != null || !acceptHasura ? role : headers.get(HASURA_PREFIX + "role");
    }

    /** The admin secret's header under the other spelling, when Hasura's are accepted; else null. */
    public String hasuraAdminSecretHeader() {
        return acceptHasura ? "x-hasura-admin-secret" : null;
    }
}
