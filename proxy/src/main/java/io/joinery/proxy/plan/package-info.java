/**
 * Planning. In: a validated GraphQL operation, its role's view of the schema and the request's
 * variables. Out: a {@link io.joinery.proxy.plan.QueryPlan} — the IR of sealed records that the SQL
 * compiler consumes. Scalar variables stay references ({@link io.joinery.proxy.plan.PlanValue.Variable})
 * so a plan is cached and only bound per request.
 */
package io.joinery.proxy.plan;
