package io.github.twinlane.serial.codec;

/**
 * Consistent Overhead Byte Stuffing: any binary payload, each frame ended by a zero byte, at most
 * one byte of overhead per 254. A frame whose stuffing is inconsistent is dropped and counted.
 */
public final class CobsCodec implements FramingCodec {
    private final int maxFrame;

    /**
     * A codec.
     *
     * @param maxFrame the largest payload, 1 to 65,535
     */
    public CobsCodec(int maxFrame) {
        this.maxFrame = FramingCodec.checkMaxFrame(maxFrame);
    }

    @Override
    public int maxFrame() {
        return maxFrame;
    }

    @Override
    public int maxEncodedLength(int payloadLength) {
        return payloadLength + payloadLength / 254 + 2;
    }

    @Override
    public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        FramingCodec.checkLength(len, maxFrame);
        int codeAt = dstOff;
        int out = dstOff + 1;
        int code = 1;
        for (int i = off; i < off + len; i++) {
            if (src[i] == 0) {
                dst[codeAt] = (byte) code;
                codeAt = out++;
                code = 1;
            } else {
                dst[out++] = src[i];
                if (++code == 0xFF) {
                    dst[codeAt] = (byte) code;
                    codeAt = out++;
                    code = 1;
                }
            }
        }
        dst[codeAt] = (byte) code;
        dst[out++] = 0;
        return out - dstOff;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder();
    }

    private final class Decoder extends FrameDecoder {
        private final int limit = maxEncodedLength(maxFrame) - 1;
        private final byte[] raw = new byte[limit];
        private final byte[] out = new byte[maxFrame];
        private int n;
        private boolean discarding;

        Decoder() {
            super(CobsCodec.this.maxFrame);
        }

        @Override
        protected void push(byte b, FrameSink sink) {
            if (b != 0) {
                if (discarding || n == limit) {
                    discarding = true;
                    n++;
                } else {
                    raw[n++] = b;
                }
                return;
            }
            int consumed = n + 1;
            if (discarding) {
                tooLong(consumed);
            } else if (n == 0) {
                dropped(1); // a bare delimiter: idle line or resync marker
            } else {
                int len = unstuff();
                if (len < 0) {
                    bad(consumed);
                } else if (len > maxFrame) {
                    tooLong(consumed);
                } else {
                    emit(sink, out, 0, len, consumed);
                }
            }
            n = 0;
            discarding = false;
        }

        private int unstuff() {
            int i = 0;
            int len = 0;
            while (i < n) {
                int code = raw[i] & 0xFF;
                if (i + code > n) {
                    return -1; // the block runs past the frame end: corrupt
                }
                for (int k = 1; k < code; k++) {
                    if (len == maxFrame) {
                        return maxFrame + 1;
                    }
                    out[len++] = raw[i + k];
                }
                i += code;
                if (code != 0xFF && i < n) {
                    if (len == maxFrame) {
                        return maxFrame + 1;
                    }
                    out[len++] = 0;
                }
            }
            return len;
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
