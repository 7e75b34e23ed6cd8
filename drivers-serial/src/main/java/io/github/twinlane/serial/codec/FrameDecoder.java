package io.github.twinlane.serial.codec;

/**
 * Turns a byte stream, in whatever chunks it arrives, into frames. Resynchronises after garbage,
 * counts and drops frames that fail validation or exceed the size limit, and never throws.
 * Allocates nothing after construction.
 *
 * <p>Not thread-safe: one decoder per stream, used by one thread.
 */
public abstract class FrameDecoder {
    /** The largest payload. */
    protected final int maxFrame;
    private long bytesIn;
    private long frames;
    private long frameBytes;
    private long droppedBytes;
    private long badFrames;
    private long oversize;

    /**
     * Creates a decoder.
     *
     * @param maxFrame the largest payload, 1 to 65,535
     */
    protected FrameDecoder(int maxFrame) {
        this.maxFrame = FramingCodec.checkMaxFrame(maxFrame);
    }

    /**
     * Feeds bytes; calls {@code sink} for every frame they complete.
     *
     * @param src the bytes
     * @param off where they start
     * @param len how many
     * @param sink where frames go; an exception it throws propagates (the decoder stays consistent)
     */
    public final void decode(byte[] src, int off, int len, FrameSink sink) {
        for (int i = off; i < off + len; i++) {
            bytesIn++;
            push(src[i], sink);
        }
    }

    /**
     * One byte.
     *
     * @param b the byte
     * @param sink where a completed frame goes
     */
    protected abstract void push(byte b, FrameSink sink);

    /**
     * Bytes held for an incomplete frame.
     *
     * @return the count
     */
    protected abstract int pending();

    /** Drops whatever is pending (a reconnect: the old stream is gone), counting it as dropped. */
    public void reset() {
        dropped(pending());
        clear();
    }

    /** Forgets the pending bytes without counting; subclasses reset their state. */
    protected abstract void clear();

    /**
     * Emits a frame and counts it.
     *
     * @param sink the sink
     * @param buf the buffer
     * @param off payload start
     * @param len payload length
     * @param consumed stream bytes the frame took, framing included
     */
    protected final void emit(FrameSink sink, byte[] buf, int off, int len, int consumed) {
        frames++;
        frameBytes += consumed;
        sink.onFrame(buf, off, len);
    }

    /**
     * Counts discarded bytes.
     *
     * @param n how many
     */
    protected final void dropped(long n) {
        droppedBytes += n;
    }

    /**
     * Counts a frame that failed validation, and its bytes.
     *
     * @param bytes its bytes
     */
    protected final void bad(int bytes) {
        badFrames++;
        droppedBytes += bytes;
    }

    /**
     * Counts an oversize frame, and its bytes.
     *
     * @param bytes its bytes so far
     */
    protected final void tooLong(int bytes) {
        oversize++;
        droppedBytes += bytes;
    }

    /**
     * The accounting so far.
     *
     * @return a snapshot; allocates
     */
    public DecoderStats stats() {
        return new DecoderStats(bytesIn, frames, frameBytes, droppedBytes, badFrames, oversize, pending());
    }
}
