package io.joinery.policies.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPathTest {

    private static final JsonNode TOKEN = read("{\"sub\": \"u1\", \"https://hasura.io/jwt/claims\": {\"x\": \"ns\"},"
            + " \"user\": {\"roles\": [\"editor\", \"user\"], \"id\": 7}, \"a.b\": {\"c\": true}}");

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$.sub|\"u1\"",
            "$.user.roles[1]|\"user\"",
            "$.user.roles|[\"editor\",\"user\"]",
            "$.user.id|7",
            "$['https://hasura.io/jwt/claims'].x|\"ns\"",
            "$[\"a.b\"].c|true",
            "$|" + "TOKEN"})
    void findsTheValueAtAPath(String path, String expected) {
        JsonNode found = JsonPath.parse(path).find(TOKEN).orElseThrow();
        assertEquals(expected.equals("TOKEN") ? TOKEN : read(expected), found, path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"$.nothing", "$.user.roles[5]", "$.sub.deeper"})
    void aPathToNothingFindsNothing(String path) {
        assertEquals(java.util.Optional.empty(), JsonPath.parse(path).find(TOKEN), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sub", "$..sub", "$.", "$[x]", "$['open", "$.a[", "$*"})
    void anythingElseIsRefused(String path) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.parse(path));
        assertEquals(true, e.getMessage().contains(path), e.getMessage());
    }
}
