package io.joinery.policies;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The caller of one request: its role and its session variables ({@code x-joinery-*}, lower case).
 * {@code isAdmin} is true for a caller that presented the admin secret (or when none is configured);
 * such a caller may still act as another role through {@code x-joinery-role}.
 */
public record Session(String role, boolean isAdmin, Map<String, String> variables) {

    public static final String ADMIN_ROLE = "admin";
    public static final String PREFIX = "x-joinery-";
    public static final String ROLE = "x-joinery-role";

    public Session {
        TreeMap<String, String> lower = new TreeMap<>();
        variables.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        variables = java.util.Collections.unmodifiableMap(lower);
    }

    public static Session admin() {
        return new Session(ADMIN_ROLE, true, Map.of(ROLE, ADMIN_ROLE));
    }

    /** A session variable, or null when the caller did not send it. */
    public String variable(String name) {
        return variables.get(name.toLowerCase(Locale.ROOT));
    }
}
