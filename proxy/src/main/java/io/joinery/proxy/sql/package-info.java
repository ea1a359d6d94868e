/**
 * SQL text and its parameters. In: calls from the compiler naming keywords (constants), identifiers
 * and values. Out: a {@link io.joinery.proxy.sql.SqlQuery} with {@code $n} placeholders. This is the
 * only place that concatenates SQL: values enter only as parameters, names only quoted.
 */
package io.joinery.proxy.sql;
