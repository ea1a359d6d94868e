package io.joinery.policies;

import java.util.regex.Pattern;

/**
 * What a role name may be: 1 to 100 ASCII letters, digits and {@code _ - . : @}. Hasura takes any
 * non-empty text; Joinery refuses the rest (NUL, newlines, quotes, spaces, bidi controls and other
 * invisible or look-alike characters), so a role name can be written in a log line, a metric tag
 * or a header without escaping, and reads as what it is. Both the {@code x-joinery-role} header
 * ({@link SessionResolver}) and the roles of metadata permissions are held to it.
 */
public final class RoleNames {

    /** The rule, for messages. */
    public static final String RULE = "1 to 100 ASCII letters, digits and _ - . : @";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.:@-]{1,100}");

    private RoleNames() {
    }

    public static boolean isValid(String role) {
        return role != null && VALID.matcher(role).matches();
    }
}
