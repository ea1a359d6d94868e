package io.joinery.telemetry;

/**
 * What identifies a join in the metrics and on its span, all of bounded cardinality (never user
 * data: no alias, no key value).
 *
 * @param relationship the relationship's name in metadata ({@code profile})
 * @param target a remote schema's name, or the table of a table join ({@code default/public.author})
 * @param form {@code per-key}, {@code list-argument}, {@code entities} or {@code table}
 * @param level 1 for joins into root fields, 2 for joins inside what those brought, …
 */
public record JoinTags(String relationship, String target, String form, int level) {
}
