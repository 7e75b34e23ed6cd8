package io.github.twinlane.aeron;

import io.github.twinlane.MessageType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * How one message class travels over the wire: its in-process {@link MessageType} plus a compact
 * binary layout. The bridge frames every message with a header carrying the schema id and version
 * (see {@link Schema}), and splits large messages into fragments, so a codec only writes and reads
 * its own fields.
 *
 * <p>Use little-endian, fixed-width fields ({@code buffer.putLong(offset, v, ByteOrder.LITTLE_ENDIAN)})
 * so both ends agree whatever their hardware. Timestamps in {@link System#nanoTime()} units mean
 * nothing in another process: convert them with {@link WallClock#toEpochNanos(long)} and back with
 * {@link WallClock#fromEpochNanos(long)}.
 *
 * <p>Threading: called from one bridge thread per direction at a time; implementations must be
 * stateless. Neither method may allocate in steady state.
 *
 * @param <E> the mutable message class
 */
public interface WireCodec<E> {

    /**
     * How to make and copy messages of this kind in-process.
     *
     * @return the message type; constant
     */
    MessageType<E> type();

    /**
     * Writes {@code message} at {@code offset}. The buffer grows as needed.
     *
     * @param message the message, unchanged
     * @param buffer an expandable buffer
     * @param offset where to start
     * @return the number of bytes written
     */
    int encode(E message, MutableDirectBuffer buffer, int offset);

    /**
     * Reads one message of exactly {@code length} bytes into {@code into}. Must reject, not guess:
     * a length or a field value that does not fit the layout returns false. An
     * {@link IndexOutOfBoundsException} or {@link IllegalArgumentException} thrown from here is
     * treated the same way, so garbage never reaches a handler.
     *
     * @param buffer the bytes; valid only during the call
     * @param offset where the message starts
     * @param length its exact length
     * @param into overwritten
     * @return true if {@code into} now holds the message; false if the bytes are not a valid one
     */
    boolean decode(DirectBuffer buffer, int offset, int length, E into);

    /**
     * The exact number of bytes {@link #encode} writes for every message, when that is fixed; -1 (the
     * default) when it varies. With a fixed length that fits one Aeron frame, an export encodes each
     * message straight into Aeron's log buffer ({@code tryClaim}) instead of a staging buffer that is
     * then copied in. A codec that declares a length must write exactly that many bytes: a message that
     * comes out at another length is not sent, and is counted as failed.
     *
     * @return the fixed encoded length in bytes, or -1
     */
    default int fixedLength() {
        return -1;
    }
}
