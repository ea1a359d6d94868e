package io.joinery.proxy.response;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.joinery.proxy.error.JoineryException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code {"data":{…}}} field by field, and errors in Hasura's shape. */
public final class ResponseWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StringBuilder out = new StringBuilder(256).append("{\"data\":{");
    private boolean first = true;
    /** Writes the values read from Postgres; made at the first one. */
    private JsonGenerator generator;

    /** Starts a field of {@code data}; the caller then writes its value. */
    public ResponseWriter field(String alias) {
        if (!first) {
            out.append(',');
        }
        first = false;
        out.append('"').append(alias).append("\":");
        return this;
    }

    /** The JSON Postgres returned for a root field, written in the response's shape ({@link ResultTranscoder}). */
    public ResponseWriter result(String json, ResultShape shape) {
        try {
            ResultTranscoder.write(json, shape, generator());
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A value as a tree (a root field's value after its remote joins). */
    public ResponseWriter tree(JsonNode value) {
        try {
            JSON.writeTree(generator(), value);
            generator.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            generator = ResultTranscoder.FACTORY.createGenerator(new Writer() {
                @Override
                public void write(char[] chars, int offset, int length) {
                    out.append(chars, offset, length);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
        }
        return generator;
    }

    public ResponseWriter string(String value) {
        return value(value);
    }

    public ResponseWriter value(Object value) {
        try {
            out.append(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    public String finish() {
        return out.append("}}").toString();
    }

    /**
     * Ends {@code data} and adds {@code errors} of parts that failed without failing the response;
     * their internals (a remote's URL and the cause) only for admins.
     */
    public String finish(List<io.joinery.proxy.remote.JoinError> errors, boolean admin) {
        return finish(errors, List.of(), admin);
    }

    /** {@link #finish(List, boolean)} with the errors of other parts ({@code more}: action fields'), each as the response carries it. */
    public String finish(List<io.joinery.proxy.remote.JoinError> errors, List<Map<String, Object>> more, boolean admin) {
        if (errors.isEmpty() && more.isEmpty()) {
            return finish();
        }
        out.append("},\"errors\":");
        List<Map<String, Object>> entries = new java.util.ArrayList<>();
        for (io.joinery.proxy.remote.JoinError error : errors) {
            Map<String, Object> extensions = new LinkedHashMap<>();
            extensions.put("path", error.path());
            extensions.put("code", io.joinery.proxy.remote.JoinError.CODE);
            if (admin && error.internal() != null) {
                extensions.put("internal", error.internal());
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("message", error.message());
            entry.put("extensions", extensions);
            entries.add(entry);
        }
        entries.addAll(more);
        value(entries);
        return out.append('}').toString();
    }

    /** {@code {"errors":[{"message", "extensions":{"path","code"[,"internal"]}}]}}; internals only for admins. */
    public static String error(JoineryException error, boolean admin) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("path", error.path());
        extensions.put("code", error.code().code());
        if (admin && error.internal() != null) {
            extensions.put("internal", error.internal());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("message", error.getMessage());
        entry.put("extensions", extensions);
        try {
            return JSON.writeValueAsString(Map.of("errors", List.of(entry)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
