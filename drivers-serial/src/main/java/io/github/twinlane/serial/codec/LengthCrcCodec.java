package io.github.twinlane.serial.codec;

/**
 * Binary frames with a length prefix and a CRC: {@code 0xA5, length (2 bytes, big-endian), payload,
 * CRC-16/CCITT-FALSE over length and payload (2 bytes, big-endian)}. The decoder hunts for the sync
 * byte, and when a candidate fails (bad CRC, impossible length) it rescans from the byte after that
 * sync, so a real frame hidden behind line noise is still found. Garbage cannot pass as a frame
 * except by a CRC collision.
 */
public final class LengthCrcCodec implements FramingCodec {
    /** The byte every frame starts with. */
    public static final byte SYNC = (byte) 0xA5;
    private static final int HEADER = 3;
    private static final int TRAILER = 2;
    private final int maxFrame;

    /**
     * A codec.
     *
     * @param maxFrame the largest payload, 1 to 65,535
     */
    public LengthCrcCodec(int maxFrame) {
        this.maxFrame = FramingCodec.checkMaxFrame(maxFrame);
    }

    @Override
    public int maxFrame() {
        return maxFrame;
    }

    @Override
    public int maxEncodedLength(int payloadLength) {
        return payloadLength + HEADER + TRAILER;
    }

    @Override
    public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        FramingCodec.checkLength(len, maxFrame);
        dst[dstOff] = SYNC;
        dst[dstOff + 1] = (byte) (len >>> 8);
        dst[dstOff + 2] = (byte) len;
        System.arraycopy(src, off, dst, dstOff + HEADER, len);
        int crc = Crc16.CCITT_FALSE.of(dst, dstOff + 1, len + 2);
        dst[dstOff + HEADER + len] = (byte) (crc >>> 8);
        dst[dstOff + HEADER + len + 1] = (byte) crc;
        return len + HEADER + TRAILER;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder();
    }

    private final class Decoder extends FrameDecoder {
        private final byte[] raw = new byte[maxFrame + HEADER + TRAILER];
        private int n;

        Decoder() {
            super(LengthCrcCodec.this.maxFrame);
        }

        @Override
        protected void push(byte b, FrameSink sink) {
            raw[n++] = b;
            parse(sink);
        }

        /** Consumes what raw[0..n) allows: frames, garbage, failed candidates (rescanning after each). */
        private void parse(FrameSink sink) {
            while (n > 0) {
                if (raw[0] != SYNC) {
                    int next = indexOfSync(1);
                    dropped(next);
                    shift(next);
                    continue;
                }
                if (n < HEADER) {
                    return;
                }
                int len = ((raw[1] & 0xFF) << 8) | (raw[2] & 0xFF);
                if (len > maxFrame) {
                    tooLong(1);
                    shift(1);
                    continue;
                }
                int total = HEADER + len + TRAILER;
                if (n < total) {
                    return;
                }
                int crc = ((raw[HEADER + len] & 0xFF) << 8) | (raw[HEADER + len + 1] & 0xFF);
                if (crc == Crc16.CCITT_FALSE.of(raw, 1, len + 2)) {
                    emit(sink, raw, HEADER, len, total);
                    shift(total);
                } else {
                    bad(1); // drop the false sync only: the real frame may start inside this candidate
                    shift(1);
                }
            }
        }

        private int indexOfSync(int from) {
            for (int i = from; i < n; i++) {
                if (raw[i] == SYNC) {
                    return i;
                }
            }
            return n;
        }

        private void shift(int k) {
            System.arraycopy(raw, k, raw, 0, n - k);
            n -= k;
        }

        @Override
        protected int pending() {
            return n;
        }

        @Override
        protected void clear() {
            n = 0;
        }
    }
}
