package io.github.twinlane.aeron;

import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One message staged for sending: its encoded payload and the header of the fragment being sent.
 * Splits the payload into fragments of at most {@code maxPayload - HEADER} bytes and offers them in
 * order; stays staged after sending, so it can be sent again to a late joiner.
 *
 * <p>Not thread-safe: one sending thread. Allocates only when a payload outgrows the buffer.
 */
final class Outbox {
    /** The outcome of {@link #sendAll}. */
    static final int SENT = 0;
    static final int NOT_CONNECTED = 1;
    static final int TIMED_OUT = 2;
    static final int CLOSED = 3;

    /** Where fragments go: Aeron's two-buffer {@code offer}, or a test's receiver. */
    @FunctionalInterface
    interface Sink {
        /**
         * Offers one fragment made of two parts.
         *
         * @return a new position (positive) on success; a negative Aeron status otherwise
         */
        long offer(DirectBuffer one, int oneOffset, int oneLength, DirectBuffer two, int twoOffset, int twoLength);
    }

    private final ExpandableDirectByteBuffer payload = new ExpandableDirectByteBuffer(256);
    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(Wire.HEADER));
    /** Waits out back-pressure: parks doubling from 1 µs to 200 µs. Owned by the thread that sends. */
    private final io.github.twinlane.cycle.IdleStrategy backPressure = io.github.twinlane.cycle.BackoffIdleStrategy.of(
            0, 0, java.time.Duration.ofNanos(1_000), java.time.Duration.ofNanos(200_000));
    private final int chunk;
    private final int schemaId;
    private final short schemaVersion;
    private int length = -1;
    private int count;
    private int next;

    /**
     * @param maxPayload the largest fragment the publication takes whole (its max payload length)
     * @param schema written into every header
     */
    Outbox(int maxPayload, Schema<?, ?> schema) {
        if (maxPayload <= Wire.HEADER) {
            throw new IllegalArgumentException("max payload " + maxPayload + " leaves no room after the "
                    + Wire.HEADER + "-byte header: raise the MTU");
        }
        this.chunk = maxPayload - Wire.HEADER;
        this.schemaId = schema.id();
        this.schemaVersion = (short) schema.version();
        header.putShort(Wire.MAGIC_OFFSET, Wire.MAGIC, Wire.ORDER);
        header.putByte(Wire.FORMAT_OFFSET, Wire.FORMAT);
        header.putInt(Wire.SCHEMA_ID_OFFSET, schema.id(), Wire.ORDER);
        header.putShort(Wire.SCHEMA_VERSION_OFFSET, (short) schema.version(), Wire.ORDER);
    }

    /** @return the buffer to encode the next payload into, from offset 0 */
    MutableDirectBuffer payload() {
        return payload;
    }

    /**
     * Stages the payload just encoded into {@link #payload()} as one message.
     *
     * @param kind {@link Wire#KIND_DATA} and so on
     * @param flags header flags
     * @param seq the message sequence
     * @param sentEpochNanos the send stamp
     * @param payloadLength bytes encoded
     */
    void stage(int kind, int flags, long seq, long sentEpochNanos, int payloadLength) {
        length = payloadLength;
        count = Math.max(1, (payloadLength + chunk - 1) / chunk);
        next = 0;
        header.putByte(Wire.KIND_OFFSET, (byte) kind);
        header.putShort(Wire.FLAGS_OFFSET, (short) flags, Wire.ORDER);
        header.putInt(Wire.COUNT_OFFSET, count, Wire.ORDER);
        header.putInt(Wire.LENGTH_OFFSET, payloadLength, Wire.ORDER);
        header.putLong(Wire.SEQ_OFFSET, seq, Wire.ORDER);
        header.putLong(Wire.SENT_OFFSET, sentEpochNanos, Wire.ORDER);
    }

    /**
     * Writes the whole header of a one-fragment message at {@code offset} of {@code b}: for a message
     * encoded in place, in a claimed Aeron frame, with no staging.
     *
     * @param b where, usually a claimed frame's buffer
     * @param offset where the header starts; the payload follows it
     * @param kind {@link Wire#KIND_DATA} and so on
     * @param flags header flags
     * @param seq the message sequence
     * @param sentEpochNanos the send stamp
     * @param payloadLength the payload's bytes
     */
    void putSingleFragmentHeader(MutableDirectBuffer b, int offset, int kind, int flags, long seq, long sentEpochNanos,
                                 int payloadLength) {
        b.putShort(offset + Wire.MAGIC_OFFSET, Wire.MAGIC, Wire.ORDER);
        b.putByte(offset + Wire.FORMAT_OFFSET, Wire.FORMAT);
        b.putByte(offset + Wire.KIND_OFFSET, (byte) kind);
        b.putInt(offset + Wire.SCHEMA_ID_OFFSET, schemaId, Wire.ORDER);
        b.putShort(offset + Wire.SCHEMA_VERSION_OFFSET, schemaVersion, Wire.ORDER);
        b.putShort(offset + Wire.FLAGS_OFFSET, (short) flags, Wire.ORDER);
        b.putInt(offset + Wire.INDEX_OFFSET, 0, Wire.ORDER);
        b.putInt(offset + Wire.COUNT_OFFSET, 1, Wire.ORDER);
        b.putInt(offset + Wire.LENGTH_OFFSET, payloadLength, Wire.ORDER);
        b.putLong(offset + Wire.SEQ_OFFSET, seq, Wire.ORDER);
        b.putLong(offset + Wire.SENT_OFFSET, sentEpochNanos, Wire.ORDER);
    }

    /** @return whether a message is staged (sent or not) */
    boolean staged() {
        return length >= 0;
    }

    /** Forgets the staged message. */
    void clear() {
        length = -1;
    }

    /** Starts the staged message over from its first fragment (a resend to a late joiner). */
    void rewind() {
        next = 0;
    }

    /** @return whether the staged message has fragments not yet sent */
    boolean pending() {
        return length >= 0 && next < count;
    }

    /** @return fragments the staged message has */
    int fragmentCount() {
        return count;
    }

    /** @return fragments sent so far */
    int fragmentsSent() {
        return next;
    }

    /**
     * Offers the remaining fragments, retrying back-pressure until {@code deadlineNanos}.
     *
     * @param sink where fragments go
     * @param deadlineNanos give up after this {@link System#nanoTime()}
     * @return {@link #SENT}, {@link #NOT_CONNECTED} (nobody subscribed; stop trying),
     *     {@link #TIMED_OUT} (back-pressure outlasted the deadline) or {@link #CLOSED}
     */
    int sendAll(Sink sink, long deadlineNanos) {
        backPressure.reset();
        while (next < count) {
            int from = next * chunk;
            int len = Math.min(chunk, length - from);
            header.putInt(Wire.INDEX_OFFSET, next, Wire.ORDER);
            long r = sink.offer(header, 0, Wire.HEADER, payload, from, len);
            if (r > 0) {
                next++;
                backPressure.reset();
                continue;
            }
            if (r == io.aeron.Publication.NOT_CONNECTED) {
                return NOT_CONNECTED;
            }
            if (r == io.aeron.Publication.CLOSED || r == io.aeron.Publication.MAX_POSITION_EXCEEDED) {
                return CLOSED;
            }
            // BACK_PRESSURED or ADMIN_ACTION: the receiver is behind or the log is rotating
            if (System.nanoTime() - deadlineNanos >= 0) {
                return TIMED_OUT;
            }
            if (Thread.currentThread().isInterrupted()) {
                return CLOSED;
            }
            backPressure.idle();
        }
        return SENT;
    }
}
