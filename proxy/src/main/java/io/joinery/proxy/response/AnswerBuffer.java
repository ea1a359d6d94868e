package io.joinery.proxy.response;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * The bytes of one answer as it is written, in a block taken from a small pool and given back once
 * the answer has been copied out.
 *
 * <p>Note [Answers written into pooled blocks]: an answer was written into a builder that started
 * at 512 bytes and added a block each time it filled, so a 20 KB answer (Q2) allocated 27 KB of
 * blocks before its one exact copy: 19.5% of the bytes a Q2 request allocated (async-profiler,
 * allocation samples), which the young collections then had to find. A block of
 * {@link #BLOCK_BYTES} holds most answers whole; at most {@link #POOLED} blocks are kept (1 MB),
 * one per answer being written at once, and an answer that outgrows its block continues in an
 * array of its own, the block going back at once.
 */
final class AnswerBuffer extends OutputStream {

    static final int BLOCK_BYTES = 32 * 1024;
    static final int POOLED = 32;
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(POOLED);

    private byte[] bytes;
    /** Whether {@link #bytes} is the pool's block. */
    private boolean pooled;
    private int size;

    AnswerBuffer() {
        byte[] block = POOL.poll();
        bytes = block != null ? block : new byte[BLOCK_BYTES];
        pooled = true;
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void ensure(int more) {
        if (size + more <= bytes.length) {
            return;
        }
        byte[] grown = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
        release();
        bytes = grown;
    }

    /** The answer's bytes, exactly. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** The number of bytes written. */
    int size() {
        return size;
    }

    /** Hands the bytes written so far to {@code sink}. */
    void sendTo(Answer.Sink sink) {
        sink.send(bytes, 0, size);
    }

    /** Gives the block back to the pool (once; the buffer is not written after). */
    void release() {
        if (pooled) {
            pooled = false;
            POOL.offer(bytes);
        }
    }
}
