/**
 * Hasura's boolean expressions ({@code bool_exp}) as one typed model. In: the JSON of a permission's
 * {@code filter} or {@code check} (also imported from Hasura), and what each name means on a table
 * ({@link io.joinery.policies.boolexp.BoolExpFields}). Out: a {@link io.joinery.policies.boolexp.BoolExpression}
 * tree with {@link io.joinery.policies.boolexp.ComparisonOperator}s, malformed terms kept as nodes in place,
 * which the consistency checks validate and the planner plans. Renders no SQL.
 */
package io.joinery.policies.boolexp;
