package io.joinery.it.support;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The values of a Bind message of Postgres' extended protocol, each written as JSON. The sidecar binds
 * every value as {@code text} or {@code text[]} (its SQL casts {@code $n::text} or {@code $n::text[]}),
 * in either format: text format and binary {@code text} are the UTF-8 bytes; binary {@code text[]} is
 * Postgres' array format (dimensions, flags, element type, bounds, then length-prefixed elements).
 * Anything else is written as {@code "\\x<hex>"}, so a surprise shows rather than breaks the recorder.
 */
final class BindValues {

    private static final int TEXT_OID = 25;
    private static final int BINARY = 1;

    private BindValues() {
    }

    /**
     * The values of a Bind whose format codes start at {@code from} (after the portal and statement names);
     * a message it cannot read gives one value saying so, never an exception that would end the recorder's
     * connection.
     */
    static List<String> decode(byte[] payload, int from) {
        try {
            return values(payload, from);
        } catch (RuntimeException e) {
            return List.of(quoted("<unreadable Bind message: " + e + ">"));
        }
    }

    private static List<String> values(byte[] payload, int from) {
        ByteBuffer in = ByteBuffer.wrap(payload, from, payload.length - from);
        short[] formats = new short[in.getShort()];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = in.getShort();
        }
        int count = in.getShort();
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.getInt();
            if (length < 0) {
                values.add("null");
                continue;
            }
            byte[] value = new byte[length];
            in.get(value);
            int format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            values.add(format == BINARY ? binary(value) : quoted(new String(value, StandardCharsets.UTF_8)));
        }
        return values;
    }

    private static String binary(byte[] value) {
        String array = textArray(value);
        if (array != null) {
            return array;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return text.getBytes(StandardCharsets.UTF_8).length == value.length && text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t')
                ? quoted(text) : quoted("\\x" + HexFormat.of().formatHex(value));
    }

    /** A one-dimensional binary {@code text[]}, or null when the bytes are not one. */
    private static String textArray(byte[] value) {
        if (value.length < 12) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(value);
        int dimensions = in.getInt();
        int flags = in.getInt();
        int element = in.getInt();
        if (element != TEXT_OID || (flags & ~1) != 0 || dimensions > 1 || (dimensions == 1 && value.length < 20)) {
            return null;
        }
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        int size = dimensions == 0 ? 0 : in.getInt();
        if (dimensions == 1) {
            in.getInt();
        }
        for (int i = 0; i < size; i++) {
            if (in.remaining() < 4) {
                return null;
            }
            int length = in.getInt();
            if (length < 0) {
                items.addNull();
                continue;
            }
            if (in.remaining() < length) {
                return null;
            }
            byte[] item = new byte[length];
            in.get(item);
            items.add(new String(item, StandardCharsets.UTF_8));
        }
        return in.hasRemaining() ? null : JsonTrees.write(items);
    }

    private static String quoted(String text) {
        return JsonTrees.write(TextNode.valueOf(text));
    }
}
