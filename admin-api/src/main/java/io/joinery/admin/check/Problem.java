package io.joinery.admin.check;

import java.util.Objects;

/**
 * Why one metadata object is inconsistent: {@code object} names it ({@code "table author,
 * relationship articles"}), {@code dependency} names what it needs ({@code "column
 * article.author_id"}), {@code reason} says what is wrong with that ({@code "the column does not
 * exist"}). Problems are values: two checks of the same state give equal problems.
 */
public record Problem(String object, String dependency, String reason) {

    public Problem {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(dependency, "dependency");
        Objects.requireNonNull(reason, "reason");
    }

    public static Problem of(MetadataObject object, String dependency, String reason) {
        return new Problem(object.describe(), dependency, reason);
    }

    /** One line for people: {@code table author, relationship articles: column article.author_id: the column does not exist}. */
    public String message() {
        return object + ": " + dependency + ": " + reason;
    }
}
