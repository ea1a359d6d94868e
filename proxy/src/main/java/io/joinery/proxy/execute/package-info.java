/**
 * Execution against Postgres. In: a compiled SQL statement and the values of its parameters.
 * Out: the row of JSON texts Postgres built, one per database root field. Owns the Vert.x pool
 * (prepared statements cached per connection; bounded waits, see Note [Bounded database work] in
 * {@link io.joinery.proxy.execute.Database}) and the binding of plan values. Every statement of a
 * request (root fields' or a table join's) runs through {@link io.joinery.proxy.execute.Statements},
 * which reports it to telemetry.
 */
package io.joinery.proxy.execute;
