package io.joinery.proxy.response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes the JSON Postgres returned for a root field as the response's JSON, streaming, in one
 * pass: records (arrays of values) become objects with the members their {@link ResultShape} names, values are copied
 * token by token (numbers with their own text, so {@code numeric} keeps every digit).
 *
 * <p>Note [Rows from Postgres, JSON from the sidecar]: building JSON objects is the costly part of
 * a nested statement for Postgres ({@code json_build_object} looks up and writes every key of every
 * row), and the database is shared by every sidecar of the fleet while the sidecars scale with the
 * applications. So the statement returns each object as the JSON array of its values
 * ({@code json_build_array(…)}, aggregated with {@code json_agg}; Note [Records as JSON arrays] in
 * {@code SqlCompiler}): Postgres still encodes each value as JSON (timestamps, numerics, arrays,
 * json columns exactly as before), but no key; the sidecar knows the keys from the plan and writes
 * them here. Constant members ({@code __typename}, the places of remote joins) never reach Postgres
 * at all.
 */
public final class ResultTranscoder {

    /**
     * Note [Jackson's buffers and virtual threads]: Jackson recycles its parsers' and generators'
     * buffers per thread by default, and every request runs on a new virtual thread, so each one
     * allocated them anew (a 4 KB buffer per response, JFR at Q1). They come from one bounded pool
     * shared by the JVM instead; a parser or generator gives them back when it is closed.
     *
     * <p>Postgres' own limits apply to what it returns (a numeric of 100,000 digits, a text of 1 GB);
     * the response's size is bounded by {@code JOINERY_MAX_RESPONSE_BYTES}, not here.
     */
    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .recyclerPool(JsonRecyclerPools.sharedBoundedPool())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .rootValueSeparator((String) null)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .maxDocumentLength(-1)
                    .build())
            .build();

    /** Trees keep numbers as Postgres wrote them as far as a tree can: decimals as BigDecimal with their trailing zeros ({@code 1.10}), never a double. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ResultTranscoder() {
    }

    /**
     * The response JSON of {@code json} as a tree, for the joins to fill in, built as it is read:
     * no tokens or text in between (Note [Trees built as they are read]).
     */
    public static JsonNode toTree(String json, ResultShape shape) {
        if (json == null) {
            return NullNode.getInstance();
        }
        try (JsonParser in = FACTORY.createParser(json)) {
            in.nextToken();
            return node(in, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /*
     * Note [Trees built as they are read]
     * A root field with joins is read into a tree, which the joins fill before it is written. It was
     * written as tokens (the transcoder's output) and the tokens read back as a tree: at Q3 (50 rows,
     * one remote join) that was 7.4% of the sidecar's CPU samples and 48 KB of the 248 KB a request
     * allocated, and every integer came back a BigDecimal (a number written as text is a float to the
     * token buffer). Now the tree is built straight from the statement's JSON: integers are int,
     * long or BigInteger nodes, decimals BigDecimal with every digit (never a double), strings
     * text nodes, and a column's JSON value (json, arrays) is built the same way.
     */

    /** The value at the parser's current token as a node, leaving the parser on its last token. */
    private static JsonNode node(JsonParser in, ResultShape shape) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return NullNode.getInstance();
        }
        return switch (shape) {
            case ResultShape.Value value -> scalar(in);
            case ResultShape.ListOf list -> {
                expect(in, JsonToken.START_ARRAY);
                ArrayNode array = NODES.arrayNode();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    array.add(node(in, list.element()));
                }
                yield array;
            }
            case ResultShape.Obj obj -> {
                JsonToken end = openRecord(in);
                List<ResultShape.Member> members = obj.members();
                ObjectNode object = NODES.objectNode();
                for (int m = 0; m < members.size(); m++) {
                    ResultShape.Member member = members.get(m);
                    switch (member) {
                        case ResultShape.Read read -> {
                            nextValue(in, end);
                            object.set(member.key(), node(in, read.value()));
                        }
                        case ResultShape.Constant constant ->
                                object.set(member.key(), constant.text() == null ? NullNode.getInstance() : NODES.textNode(constant.text()));
                    }
                }
                in.nextToken();
                expect(in, end);
                yield object;
            }
            case ResultShape.Tuple tuple -> {
                expect(in, JsonToken.START_ARRAY);
                ArrayNode array = NODES.arrayNode();
                List<ResultShape> items = tuple.items();
                for (int i = 0; i < items.size(); i++) {
                    in.nextToken();
                    array.add(node(in, items.get(i)));
                }
                in.nextToken();
                expect(in, JsonToken.END_ARRAY);
                yield array;
            }
        };
    }

    /** A value as Postgres encoded it, a scalar or a whole JSON structure (a json column, an array), leaving the parser on its last token. */
    private static JsonNode scalar(JsonParser in) throws IOException {
        return switch (in.currentToken()) {
            case VALUE_STRING -> NODES.textNode(in.getText());
            case VALUE_NUMBER_INT -> switch (in.getNumberType()) {
                case INT -> NODES.numberNode(in.getIntValue());
                case LONG -> NODES.numberNode(in.getLongValue());
                default -> NODES.numberNode(in.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(in.getDecimalValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    array.add(scalar(in));
                }
                yield array;
            }
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String name = in.currentName();
                    in.nextToken();
                    object.set(name, scalar(in));
                }
                yield object;
            }
            default -> throw new IllegalStateException("unexpected JSON token " + in.currentToken());
        };
    }

    /** Writes the response JSON of {@code json} (SQL NULL: JSON null) to {@code out}. */
    public static void write(String json, ResultShape shape, JsonGenerator out) throws IOException {
        if (json == null) {
            out.writeNull();
            return;
        }
        try (JsonParser in = FACTORY.createParser(json)) {
            in.nextToken();
            value(in, shape, out);
        }
    }

    /** Writes the value at the parser's current token, leaving the parser on its last token. */
    private static void value(JsonParser in, ResultShape shape, JsonGenerator out) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            out.writeNull();
            return;
        }
        switch (shape) {
            case ResultShape.Value value -> copy(in, out);
            case ResultShape.ListOf list -> {
                expect(in, JsonToken.START_ARRAY);
                out.writeStartArray();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    value(in, list.element(), out);
                }
                out.writeEndArray();
            }
            case ResultShape.Obj obj -> {
                JsonToken end = openRecord(in);
                out.writeStartObject();
                // by index: an iterator per object escaped this recursion, 10% of the bytes a Q2 request allocated
                List<ResultShape.Member> members = obj.members();
                for (int m = 0; m < members.size(); m++) {
                    ResultShape.Member member = members.get(m);
                    out.writeFieldName(member.key());
                    switch (member) {
                        case ResultShape.Read read -> {
                            nextValue(in, end);
                            value(in, read.value(), out);
                        }
                        case ResultShape.Constant constant -> {
                            if (constant.text() == null) {
                                out.writeNull();
                            } else {
                                out.writeString(constant.text());
                            }
                        }
                    }
                }
                in.nextToken();
                expect(in, end);
                out.writeEndObject();
            }
            case ResultShape.Tuple tuple -> {
                expect(in, JsonToken.START_ARRAY);
                out.writeStartArray();
                List<ResultShape> items = tuple.items();
                for (int i = 0; i < items.size(); i++) {
                    in.nextToken();
                    value(in, items.get(i), out);
                }
                in.nextToken();
                expect(in, JsonToken.END_ARRAY);
                out.writeEndArray();
            }
        }
    }

    /** Copies the value at the current token, a scalar or a whole structure, token by token. */
    private static void copy(JsonParser in, JsonGenerator out) throws IOException {
        int depth = 0;
        do {
            JsonToken token = in.currentToken();
            switch (token) {
                case START_OBJECT -> {
                    out.writeStartObject();
                    depth++;
                }
                case START_ARRAY -> {
                    out.writeStartArray();
                    depth++;
                }
                case END_OBJECT -> {
                    out.writeEndObject();
                    depth--;
                }
                case END_ARRAY -> {
                    out.writeEndArray();
                    depth--;
                }
                case FIELD_NAME -> out.writeFieldName(in.getText());
                case VALUE_STRING -> out.writeString(in.getTextCharacters(), in.getTextOffset(), in.getTextLength());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(in.getTextCharacters(), in.getTextOffset(), in.getTextLength());
                case VALUE_TRUE -> out.writeBoolean(true);
                case VALUE_FALSE -> out.writeBoolean(false);
                case VALUE_NULL -> out.writeNull();
                case NOT_AVAILABLE, VALUE_EMBEDDED_OBJECT -> throw new IllegalStateException("unexpected JSON token " + token);
            }
        } while (depth > 0 && in.nextToken() != null);
    }

    /**
     * At the start of a record's values: a JSON array of them, or the JSON of a record of more values
     * than an array can be built of ({@code {"f1": …}}, Note [Records as JSON arrays] in
     * {@code SqlCompiler}). Returns the token that ends it.
     */
    private static JsonToken openRecord(JsonParser in) throws IOException {
        return switch (in.currentToken()) {
            case START_ARRAY -> JsonToken.END_ARRAY;
            case START_OBJECT -> JsonToken.END_OBJECT;
            default -> throw new IllegalStateException("Postgres returned " + in.currentToken() + " where the plan expects a record");
        };
    }

    /** Moves to a record's next value, past its key when the record is an object. */
    private static void nextValue(JsonParser in, JsonToken end) throws IOException {
        in.nextToken();
        if (end == JsonToken.END_OBJECT) {
            expect(in, JsonToken.FIELD_NAME);
            in.nextToken();
        }
    }

    private static void expect(JsonParser in, JsonToken token) throws IOException {
        if (in.currentToken() != token) {
            throw new IllegalStateException("Postgres returned " + in.currentToken() + " where the plan expects " + token);
        }
    }
}
