package io.joinery.proxy.response;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnswerBufferTest {

    @Test
    void anAnswerInItsBlockIsCopiedOutExactly() {
        AnswerBuffer buffer = new AnswerBuffer();
        buffer.write('{');
        buffer.write("\"data\":1}".getBytes(), 0, 9);
        assertEquals("{\"data\":1}", new String(buffer.toByteArray()));
        buffer.release();
    }

    @Test
    void anAnswerLargerThanABlockGrowsAndKeepsEveryByte() {
        byte[] chunk = new byte[5_000];
        AnswerBuffer buffer = new AnswerBuffer();
        byte[] expected = new byte[AnswerBuffer.BLOCK_BYTES * 3 + 17];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i * 31);
        }
        int at = 0;
        while (at < expected.length) {
            int n = Math.min(chunk.length, expected.length - at);
            System.arraycopy(expected, at, chunk, 0, n);
            buffer.write(chunk, 0, n);
            at += n;
        }
        assertArrayEquals(expected, buffer.toByteArray());
        buffer.release();
    }

    @Test
    void aBlockIsGivenBackOnceSoNoTwoAnswersShareIt() {
        AnswerBuffer first = new AnswerBuffer();
        first.write("{}".getBytes(), 0, 2);
        first.release();
        first.release(); // a second release must not put the block in the pool twice
        // take more buffers than the pool holds: were the block in it twice, two of them would share it
        List<AnswerBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < AnswerBuffer.POOLED + 2; i++) {
            AnswerBuffer buffer = new AnswerBuffer();
            buffers.add(buffer);
        }
        for (int i = 0; i < buffers.size(); i++) {
            byte[] text = ("answer " + i).getBytes();
            buffers.get(i).write(text, 0, text.length);
        }
        for (int i = 0; i < buffers.size(); i++) {
            assertEquals("answer " + i, new String(buffers.get(i).toByteArray()), "a block written by one answer only");
            buffers.get(i).release();
        }
    }
}
