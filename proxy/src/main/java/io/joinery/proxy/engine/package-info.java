/**
 * The request pipeline. In: a {@link io.joinery.proxy.engine.GraphqlRequest} and a session. Out: the
 * response bytes. Runs the stages in order — parse/validate ({@code parse}, cached here), plan and compile (cached),
 * bind, execute, respond — against the current {@link io.joinery.proxy.engine.EngineState}, which
 * a metadata change swaps atomically.
 */
package io.joinery.proxy.engine;
