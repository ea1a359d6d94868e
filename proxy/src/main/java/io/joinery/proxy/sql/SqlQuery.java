package io.joinery.proxy.sql;

import com.github.benmanes.caffeine.cache.Interner;

import java.util.List;

/**
 * SQL text with {@code $1..$n} placeholders and the sources of their values, in order.
 *
 * <p>The text is interned (weakly): the plan cache holds one compiled plan per document, and
 * documents that differ only in their values (other keys in the same query) compile to the same
 * text, since every value is a parameter. Thousands of such documents then share one text instead
 * of holding a copy each (see the RSS after 10,000 queries, README "Deploy").
 */
public record SqlQuery(String text, List<Param> params) {

    private static final Interner<String> TEXTS = Interner.newWeakInterner();

    public SqlQuery {
        text = TEXTS.intern(text);
        params = List.copyOf(params);
    }
}
