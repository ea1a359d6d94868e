/**
 * The sidecar process. In: the configuration ({@link io.joinery.proxy.config.JoineryConfig}) and the
 * environment. Out: a running {@link io.joinery.proxy.Sidecar}: its engine serving the metadata's
 * states ({@code EngineStates}, rebuilt on every change), the GraphQL listener and the admin listener
 * ({@code AdminListener}: reload, health, metrics and the admin API); or a command's exit code ({@link io.joinery.proxy.Main}).
 */
package io.joinery.proxy;
