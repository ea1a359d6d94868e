/**
 * Subscriptions over WebSocket. In: a connection at {@code /v1/graphql} speaking {@code graphql-transport-ws}
 * or {@code graphql-ws} ({@link io.joinery.proxy.subscription.SocketEndpoint}); its operations, prepared by the
 * engine. Out: queries' and mutations' answers, and live queries' results, polled in cohorts with ONE
 * statement per cohort per refetch ({@link io.joinery.proxy.subscription.LiveQueries},
 * {@link io.joinery.proxy.subscription.MultiplexedQuery}).
 */
package io.joinery.proxy.subscription;
