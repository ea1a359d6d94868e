package io.joinery.proxy.response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import io.joinery.proxy.error.JoineryException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code {"data":{…}}} field by field, and errors in Hasura's shape.
 *
 * <p>Note [The answer as UTF-8 from the start]: one generator writes the whole answer as UTF-8 into
 * one block (Note [Answers written into pooled blocks] in {@link AnswerBuffer}); its bytes are what
 * the endpoint sends. Written as text, a
 * 30 KB answer (Q2) was copied four times on its way out (the builder growing, {@code toString},
 * the UTF-8 encoding, the server's buffer). Characters outside the BMP are written as their UTF-8
 * bytes, as Postgres and Hasura write them, not as escaped surrogate pairs.
 */
public final class ResponseWriter {

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool()).build()).build();

    /** Note [Answers written into pooled blocks] in {@link AnswerBuffer}. */
    private final AnswerBuffer out = new AnswerBuffer();
    private final JsonGenerator generator;

    public ResponseWriter() {
        try {
            generator = ResultTranscoder.FACTORY.createGenerator(out);
            generator.writeStartObject();
            generator.writeFieldName("data");
            generator.writeStartObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a field of {@code data}; the caller then writes its value. */
    public ResponseWriter field(String alias) {
        try {
            generator.writeFieldName(alias);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The JSON Postgres returned for a root field, written in the response's shape ({@link ResultTranscoder}). */
    public ResponseWriter result(String json, ResultShape shape) {
        try {
            ResultTranscoder.write(json, shape, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A root field's rows returned flat (Note [Flat rows] in {@code SqlCompiler}), written as its list. */
    public ResponseWriter rows(Iterable<io.vertx.sqlclient.Row> rows, FlatRows shape) {
        try {
            shape.write(rows, generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A value as a tree (a root field's value after its remote joins). */
    public ResponseWriter tree(JsonNode value) {
        try {
            JSON.writeTree(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public ResponseWriter string(String value) {
        return value(value);
    }

    public ResponseWriter value(Object value) {
        try {
            JSON.writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The answer, {@code {"data":{…}}}, as UTF-8. */
    public byte[] finish() {
        return answer().bytes();
    }

    /** {@link #finish()}, still in its block (Note [Answers sent from their block] in {@link Answer}). */
    public Answer answer() {
        try {
            generator.writeEndObject();
            generator.writeEndObject();
            return close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer with the generator's buffers given back (Note [Jackson's buffers and virtual threads]
     * in {@link ResultTranscoder}).
     */
    private Answer close() throws IOException {
        generator.close();
        return new Answer(out);
    }

    /**
     * Ends {@code data} and adds {@code errors} of parts that failed without failing the response;
     * their internals (a remote's URL and the cause) only for admins.
     */
    public byte[] finish(List<io.joinery.proxy.remote.JoinError> errors, boolean admin) {
        return finish(errors, List.of(), admin);
    }

    /** {@link #finish(List, boolean)} with the errors of other parts ({@code more}: action fields'), each as the response carries it. */
    public byte[] finish(List<io.joinery.proxy.remote.JoinError> errors, List<Map<String, Object>> more, boolean admin) {
        return answer(errors, more, admin).bytes();
    }

    /** {@link #finish(List, List, boolean)}, still in its block (Note [Answers sent from their block] in {@link Answer}). */
    public Answer answer(List<io.joinery.proxy.remote.JoinError> errors, List<Map<String, Object>> more, boolean admin) {
        if (errors.isEmpty() && more.isEmpty()) {
            return answer();
        }
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
        try {
            generator.writeEndObject();
            generator.writeFieldName("errors");
            JSON.writeValue(generator, entries);
            generator.writeEndObject();
            return close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
