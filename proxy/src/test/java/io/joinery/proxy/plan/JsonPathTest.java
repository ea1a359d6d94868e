package io.joinery.proxy.plan;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hasura's json paths (its suite's {@code select_query_test_types_postgres} cases among them) read into the steps of {@code #>}. */
class JsonPathTest {

    @Test
    void readsTheStepsOfHasurasPaths() {
        assertEquals(List.of(), JsonPath.steps("$"));
        assertEquals(List.of("obj", "c1"), JsonPath.steps(".obj.c1"));
        assertEquals(List.of("obj", "c1"), JsonPath.steps("$.obj.c1"));
        assertEquals(List.of("a"), JsonPath.steps("a"));
        assertEquals(List.of("arr", "0"), JsonPath.steps("arr[0]"));
        assertEquals(List.of("_underscore"), JsonPath.steps("._underscore"));
        assertEquals(List.of("!@#$%^"), JsonPath.steps("['!@#$%^']"));
        assertEquals(List.of("translations", "hello world!"), JsonPath.steps("translations['hello world!']"));
        assertEquals(List.of("objs", "0", "你好"), JsonPath.steps("objs[0]['你好']"));
        assertEquals(List.of("objs", "0", "你好"), JsonPath.steps("objs[0][\"你好\"]"));
        assertEquals(List.of("objs", "0", "你好"), JsonPath.steps("objs[0].[\"你好\"]"));
        assertEquals(List.of("kebab-case", "x2"), JsonPath.steps("$.kebab-case.x2"));
        assertEquals(List.of("it's", "say \"hi\"", "tab\t"), JsonPath.steps("['it\\'s']['say \"hi\"'][\"tab\\t\"]"));
        assertEquals(List.of("12345678901234567890"), JsonPath.steps("[012345678901234567890]"));
    }

    @Test
    void refusesWhatIsNotAPathWithHasurasMessage() {
        for (String bad : List.of("", "$.", "a b", "1abc", "[x", "['open", "a[0", "a..b", "$$", "a[-1]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonPath.steps(bad), bad);
            assertTrue(e.getMessage().startsWith("parse json path error: " + bad + ". Accept letters, digits, underscore (_) or hyphen (-) only."),
                    e.getMessage());
        }
    }
}
