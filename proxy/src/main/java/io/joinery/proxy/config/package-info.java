/**
 * Configuration. In: environment variables and an optional YAML file ({@code JOINERY_CONFIG_FILE},
 * node {@code proxy:}). Out: one {@link io.joinery.proxy.config.JoineryConfig} record, or a
 * {@link io.joinery.proxy.config.ConfigException} whose one-line message stops the start.
 */
package io.joinery.proxy.config;
