package io.joinery.proxy.sql;

import io.joinery.proxy.plan.PlanValue;

/** One {@code $n} parameter: where its value comes from and how it is sent. */
public record Param(PlanValue value, BindMode mode) {
}
