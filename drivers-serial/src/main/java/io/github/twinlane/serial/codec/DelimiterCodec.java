package io.github.twinlane.serial.codec;

/**
 * Frames ended by a delimiter byte, such as {@code '\n'} for the ASCII protocols many drives
 * speak. An optional {@code '\r'} before a {@code '\n'} delimiter is stripped. Empty frames are
 * skipped (counted as dropped bytes). No integrity check: line noise between delimiters arrives as
 * a frame, within the size limit.
 */
public final class DelimiterCodec implements FramingCodec {
    private final byte delimiter;
    private final int maxFrame;

    /**
     * A codec.
     *
     * @param delimiter the byte that ends a frame
     * @param maxFrame the largest payload, 1 to 65,535
     */
    public DelimiterCodec(byte delimiter, int maxFrame) {
        this.delimiter = delimiter;
        this.maxFrame = FramingCodec.checkMaxFrame(maxFrame);
    }

    /**
     * Lines ended by {@code '\n'} (a {@code "\r\n"} ending is accepted too).
     *
     * @param maxFrame the longest line
     * @return the codec
     */
    public static DelimiterCodec lines(int maxFrame) {
        return new DelimiterCodec((byte) '\n', maxFrame);
    }

    @Override
    public int maxFrame() {
        return maxFrame;
    }

    @Override
    public int maxEncodedLength(int payloadLength) {
        return payloadLength + 1;
    }

    @Override
    public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        FramingCodec.checkLength(len, maxFrame);
        for (int i = off; i < off + len; i++) {
            if (src[i] == delimiter) {
                throw new IllegalArgumentException("payload byte " + (i - off) + " is the delimiter 0x"
                        + Integer.toHexString(delimiter & 0xFF) + ": use COBS or SLIP for binary payloads");
            }
        }
        System.arraycopy(src, off, dst, dstOff, len);
        dst[dstOff + len] = delimiter;
        return len + 1;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder();
    }

    private final class Decoder extends FrameDecoder {
        private final byte[] buf = new byte[maxFrame + 1];
        private int n;
        private boolean discarding;

        Decoder() {
            super(DelimiterCodec.this.maxFrame);
        }

        @Override
        protected void push(byte b, FrameSink sink) {
            if (b == delimiter) {
                if (discarding) {
                    tooLong(n + 1);
                    discarding = false;
                } else {
                    int len = n;
                    if (delimiter == '\n' && len > 0 && buf[len - 1] == '\r') {
                        len--;
                    }
                    if (len == 0) {
                        dropped(n + 1);
                    } else if (len > maxFrame) {
                        tooLong(n + 1); // the spare byte is only for a '\r'
                    } else {
                        emit(sink, buf, 0, len, n + 1);
                    }
                }
                n = 0;
                return;
            }
            if (discarding) {
                n++;
                return;
            }
            if (n == maxFrame + 1) { // one extra allowed for a trailing '\r'
                discarding = true;
                n++;
                return;
            }
            buf[n++] = b;
        }

        @Override
        protected int pending() {
            return n;
        }

        @Override
        protected void clear() {
            n = 0;
            discarding = false;
        }
    }
}
