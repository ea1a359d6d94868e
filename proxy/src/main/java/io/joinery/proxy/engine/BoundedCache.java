package io.joinery.proxy.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A concurrent cache with a size bound: when full it starts over. Plans are cheap to rebuild and
 * the working set of an application's queries is small, so this beats an LRU's bookkeeping on the
 * hot path.
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
}
