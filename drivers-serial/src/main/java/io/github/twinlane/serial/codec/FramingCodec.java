package io.github.twinlane.serial.codec;

/**
 * A way of cutting a byte stream into frames: an encoder, and a factory for decoders (one per
 * stream). Implementations are immutable and thread-safe; {@link #encode} allocates nothing.
 */
public interface FramingCodec {

    /**
     * The largest payload.
     *
     * @return bytes
     */
    int maxFrame();

    /**
     * The most bytes {@link #encode} writes for a payload of {@code payloadLength}.
     *
     * @param payloadLength the payload's length
     * @return the bound
     */
    int maxEncodedLength(int payloadLength);

    /**
     * Encodes one frame.
     *
     * @param src the payload
     * @param off where it starts
     * @param len its length, at most {@link #maxFrame()}
     * @param dst where the frame goes; needs {@link #maxEncodedLength(int)} bytes from {@code dstOff}
     * @param dstOff where to write
     * @return bytes written
     * @throws IllegalArgumentException if the payload cannot be framed (too long, or a byte the framing cannot carry)
     */
    int encode(byte[] src, int off, int len, byte[] dst, int dstOff);

    /**
     * A decoder for one stream.
     *
     * @return a new decoder
     */
    FrameDecoder newDecoder();

    /**
     * Checks a codec's frame size limit.
     *
     * @param maxFrame the largest payload
     * @return it, when valid
     * @throws IllegalArgumentException unless from 1 to 65,535
     */
    static int checkMaxFrame(int maxFrame) {
        if (maxFrame < 1 || maxFrame > 65_535) {
            throw new IllegalArgumentException("maxFrame must be from 1 to 65535, was " + maxFrame);
        }
        return maxFrame;
    }

    /**
     * Checks a payload length against the limit.
     *
     * @param len the length
     * @param max the limit
     */
    static void checkLength(int len, int max) {
        if (len < 0 || len > max) {
            throw new IllegalArgumentException("payload length must be from 0 to maxFrame (" + max + "), was " + len);
        }
    }
}
