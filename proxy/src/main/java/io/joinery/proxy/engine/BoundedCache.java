package io.joinery.proxy.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * A concurrent cache with a size bound: when full it starts over. It holds the compiled plans of
 * one parsed operation (a few shapes of its structural variables), whose weight the {@link PlanCache}
 * counts; plans are cheap to rebuild, so this beats an LRU's bookkeeping on the hot path.
 */
final class BoundedCache<K, V> {

    private final int maxSize;
    private final ConcurrentHashMap<K, V> entries = new ConcurrentHashMap<>();

    BoundedCache(int maxSize) {
        this.maxSize = maxSize;
    }

    V get(K key) {
        return entries.get(key);
    }

    V computeIfAbsent(K key, Function<K, V> compute) {
        V value = entries.get(key);
        if (value != null) {
            return value;
        }
        if (entries.size() >= maxSize) {
            entries.clear();
        }
        return entries.computeIfAbsent(key, compute);
    }

    int size() {
        return entries.size();
    }

    /** The sum of the weights of its values. */
    long weight(ToLongFunction<V> weigher) {
        long sum = 0;
        for (V value : entries.values()) {
            sum += weigher.applyAsLong(value);
        }
        return sum;
    }
}
