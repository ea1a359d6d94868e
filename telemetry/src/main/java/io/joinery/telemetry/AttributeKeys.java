package io.joinery.telemetry;

import io.opentelemetry.api.common.AttributeKey;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The {@link AttributeKey} of each attribute name and type, made once.
 *
 * <p>Note [Attribute keys made once]: OpenTelemetry's {@code setAttribute(String, value)} makes a
 * new key object on every call, and the OTLP exporter encodes a key's name to UTF-8 once per key
 * object (it keeps the bytes in the key): with a key per call, every attribute of every exported
 * span was encoded again, and allocated twice. The names are {@link SpanNames}' constants, so the
 * maps stay small; past {@link #MAX_NAMES} names (never, unless a caller builds names from data)
 * a key is made per call as before, so the maps cannot grow without bound.
 */
final class AttributeKeys {

    static final int MAX_NAMES = 256;

    /** The keys every span of the process uses. */
    static final AttributeKeys SHARED = new AttributeKeys();

    private final ConcurrentHashMap<String, AttributeKey<String>> strings = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AttributeKey<Long>> longs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AttributeKey<Boolean>> booleans = new ConcurrentHashMap<>();

    AttributeKey<String> string(String name) {
        return key(strings, name, AttributeKey::stringKey);
    }

    AttributeKey<Long> number(String name) {
        return key(longs, name, AttributeKey::longKey);
    }

    AttributeKey<Boolean> flag(String name) {
        return key(booleans, name, AttributeKey::booleanKey);
    }

    private static <T> AttributeKey<T> key(ConcurrentHashMap<String, AttributeKey<T>> keys, String name, Function<String, AttributeKey<T>> make) {
        AttributeKey<T> key = keys.get(name);
        if (key != null) {
            return key;
        }
        return keys.size() < MAX_NAMES ? keys.computeIfAbsent(name, make) : make.apply(name);
    }
}
