package io.joinery.proxy.subscription;

import java.time.Duration;

/**
 * Settings of subscriptions (README, Subscriptions).
 *
 * @param refetchInterval   how often a live query's cohorts are refetched
 * @param batchSize         subscribers (distinct variables and session values) per statement of a cohort
 * @param maxPerConnection  subscriptions one connection may hold at once
 * @param maxSubscriptions  subscriptions the sidecar holds at once, over all connections
 * @param keepAlive         how often an idle connection is pinged (and, in {@code graphql-ws}, sent {@code ka})
 * @param initTimeout       how long a connection may wait before its {@code connection_init}
 * @param maxQueuedMessages messages waiting for a slow client before its connection is closed
 */
public record SubscriptionConfig(Duration refetchInterval, int batchSize, int maxPerConnection, int maxSubscriptions,
                                 Duration keepAlive, Duration initTimeout, int maxQueuedMessages) {

    public static final SubscriptionConfig DEFAULT = new SubscriptionConfig(Duration.ofSeconds(1), 100, 100, 10_000,
            Duration.ofSeconds(5), Duration.ofSeconds(3), 256);
}
