package io.joinery.proxy.response;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An answer handed over from its block: the exact bytes, then the block back in the pool, once. */
class AnswerTest {

    @Test
    void theSinkGetsTheAnswersBytesExactlyFromTheBlock() {
        Answer answer = new ResponseWriter().field("x").string("y").answer();
        List<String> sent = new ArrayList<>();
        answer.sendTo((bytes, offset, length) -> sent.add(new String(bytes, offset, length, StandardCharsets.UTF_8)));
        assertEquals(List.of("{\"data\":{\"x\":\"y\"}}"), sent);
    }

    @Test
    void theBlockGoesBackOnlyOnceTheSinkHasReturned() {
        // empty the pool, so that a block given back is the only one a new answer can take
        List<AnswerBuffer> held = new ArrayList<>();
        for (int i = 0; i < AnswerBuffer.POOLED + 1; i++) {
            held.add(new AnswerBuffer());
        }
        byte[][] seen = new byte[2][];
        Answer sending = new ResponseWriter().field("first").string("1").answer();
        sending.sendTo((bytes, offset, length) -> {
            seen[0] = bytes;
            new ResponseWriter().field("second").string("2").answer().sendTo((b, o, l) -> seen[1] = b);
        });
        assertNotSame(seen[0], seen[1], "an answer being sent keeps its block to itself");
        Answer next = new ResponseWriter().field("third").string("3").answer();
        byte[][] reused = new byte[1][];
        next.sendTo((bytes, offset, length) -> reused[0] = bytes);
        assertTrue(reused[0] == seen[0] || reused[0] == seen[1], "once sent, a block serves the next answer");
        held.forEach(AnswerBuffer::release);
    }

    @Test
    void anArrayOfItsOwnAndACopy() {
        byte[] text = "{\"data\":null}".getBytes(StandardCharsets.UTF_8);
        List<Integer> lengths = new ArrayList<>();
        Answer.of(text).sendTo((bytes, offset, length) -> lengths.add(length));
        assertEquals(List.of(text.length), lengths);
        Answer written = new ResponseWriter().field("a").string("b").answer();
        assertEquals(18, written.length());
        assertEquals("{\"data\":{\"a\":\"b\"}}", new String(written.bytes(), StandardCharsets.UTF_8));
    }
}
