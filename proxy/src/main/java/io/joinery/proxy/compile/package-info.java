/**
 * Compilation. In: a {@link io.joinery.proxy.plan.QueryPlan}. Out: a {@link
 * io.joinery.proxy.compile.CompiledQuery} — ONE SQL statement for all database root fields, one
 * result column per root field, built by Postgres as JSON (correlated subqueries with
 * {@code json_build_object} / {@code json_agg}; limits and ordering inside each relationship).
 */
package io.joinery.proxy.compile;
