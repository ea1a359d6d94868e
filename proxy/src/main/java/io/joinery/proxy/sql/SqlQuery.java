package io.joinery.proxy.sql;

import java.util.List;

/** SQL text with {@code $1..$n} placeholders and the sources of their values, in order. */
public record SqlQuery(String text, List<Param> params) {

    public SqlQuery {
        params = List.copyOf(params);
    }
}
