/**
 * Planning. In: a validated GraphQL operation with its fragments, the role's view of the schema
 * ({@link io.joinery.proxy.schema.RoleAccess}) and the request's variables. Out: a
 * {@link io.joinery.proxy.plan.QueryPlan} — the IR of sealed records ({@link io.joinery.proxy.plan.RootField},
 * {@link io.joinery.proxy.plan.RowField}, {@link io.joinery.proxy.plan.Select}, {@link io.joinery.proxy.plan.BoolExp},
 * {@link io.joinery.proxy.plan.JoinSpec}, …) that the SQL compiler and the join stage consume
 * ({@link io.joinery.proxy.plan.PlanPrinter} prints one as indented text for golden tests). Scalar
 * variables stay references ({@link io.joinery.proxy.plan.PlanValue.Variable}) so a plan is cached and
 * only bound per request. Permission filters come as {@link io.joinery.policies.boolexp.BoolExpression}s,
 * read by the one parser of boolean expressions, and share its
 * {@link io.joinery.policies.boolexp.ComparisonOperator}s with the callers' {@code where}.
 * {@link io.joinery.proxy.plan.QueryPlanner} is the entry; the other planners are package-private.
 */
package io.joinery.proxy.plan;
