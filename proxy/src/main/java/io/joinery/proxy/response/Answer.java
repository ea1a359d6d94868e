package io.joinery.proxy.response;

/**
 * The UTF-8 bytes of one answer, as the endpoint sends them: still in the pooled block they were
 * written into ({@link AnswerBuffer}), or in an array of their own.
 *
 * <p>Note [Answers sent from their block]: an answer was copied out of its block into an array of
 * its exact size, which the server then copied behind the response's head into its own buffer: two
 * copies of every answer, 35 of the 93 KB a Q2 request allocated (async-profiler, allocation
 * samples). Now the server is handed the block and the answer's length, copies the bytes once into
 * its buffer, and the block goes back to the pool when it returns. (Helidon's output stream is no
 * way round the copy: it copies what it is given, then again behind the head, measured 111 KB.)
 */
public final class Answer {

    /** Where the bytes go: they are read during the call only. */
    @FunctionalInterface
    public interface Sink {
        void send(byte[] bytes, int offset, int length);
    }

    private final AnswerBuffer block;
    private final byte[] bytes;

    Answer(AnswerBuffer block) {
        this.block = block;
        this.bytes = null;
    }

    private Answer(byte[] bytes) {
        this.block = null;
        this.bytes = bytes;
    }

    /** An answer in an array of its own (an error written as text, say). */
    public static Answer of(byte[] bytes) {
        return new Answer(bytes);
    }

    /** Its size in bytes. */
    public int length() {
        return block != null ? block.size() : bytes.length;
    }

    /** Hands the bytes to {@code sink}, then gives the block back; the answer is not used after. */
    public void sendTo(Sink sink) {
        if (block == null) {
            sink.send(bytes, 0, bytes.length);
            return;
        }
        try {
            block.sendTo(sink);
        } finally {
            block.release();
        }
    }

    /** The bytes in an array of their own, the block given back; the answer is not used after. */
    public byte[] bytes() {
        if (block == null) {
            return bytes;
        }
        byte[] copy = block.toByteArray();
        block.release();
        return copy;
    }

    /** Gives the block back without sending it (an answer refused as too large); the answer is not used after. */
    public void drop() {
        if (block != null) {
            block.release();
        }
    }
}
