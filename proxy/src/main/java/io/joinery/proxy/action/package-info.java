/**
 * Actions served: in, the {@code RootField.Action}s of a plan and the request (its variables, session,
 * headers, query text); out, each action's answer shaped to the client's selection, or an error for
 * its field alone. {@link ActionHandlerCall} builds and sends the one HTTP request to a handler (the
 * one place where request and response transforms apply), {@link ActionOutputShaper} shapes the
 * answer, {@link ActionCalls} runs a request's actions (queries concurrently, mutations in order).
 */
package io.joinery.proxy.action;
