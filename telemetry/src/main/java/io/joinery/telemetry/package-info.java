/**
 * Metrics and traces for Joinery. In: stage boundaries reported by the engine through
 * {@link io.joinery.telemetry.EngineObserver}, and the process's {@code OTEL_*} variables.
 * Out: Prometheus text for {@code /metrics} ({@link io.joinery.telemetry.Telemetry#scrape()}) and,
 * only when an exporter is configured, OpenTelemetry spans sent over OTLP.
 */
package io.joinery.telemetry;
