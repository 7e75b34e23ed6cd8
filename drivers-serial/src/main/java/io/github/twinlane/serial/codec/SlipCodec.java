package io.github.twinlane.serial.codec;

/**
 * SLIP (RFC 1055): frames between END bytes (0xC0), with END and ESC (0xDB) escaped. The encoder
 * sends an END first as well, so that line noise before a frame is flushed as a separate, bad frame.
 * A frame with an invalid escape is dropped and counted.
 */
public final class SlipCodec implements FramingCodec {
    static final byte END = (byte) 0xC0;
    static final byte ESC = (byte) 0xDB;
    static final byte ESC_END = (byte) 0xDC;
    static final byte ESC_ESC = (byte) 0xDD;
    private final int maxFrame;

    /**
     * A codec.
     *
     * @param maxFrame the largest payload, 1 to 65,535
     */
    public SlipCodec(int maxFrame) {
        this.maxFrame = FramingCodec.checkMaxFrame(maxFrame);
    }

    @Override
    public int maxFrame() {
        return maxFrame;
    }

    @Override
    public int maxEncodedLength(int payloadLength) {
        return 2 * payloadLength + 2;
    }

    @Override
    public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        FramingCodec.checkLength(len, maxFrame);
        int o = dstOff;
        dst[o++] = END;
        for (int i = off; i < off + len; i++) {
            byte b = src[i];
            if (b == END) {
                dst[o++] = ESC;
                dst[o++] = ESC_END;
            } else if (b == ESC) {
                dst[o++] = ESC;
                dst[o++] = ESC_ESC;
            } else {
                dst[o++] = b;
            }
        }
        dst[o++] = END;
        return o - dstOff;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder();
    }

    private final class Decoder extends FrameDecoder {
        private final byte[] buf = new byte[maxFrame];
        private int len;
        private int consumed;
        private boolean escaped;
        private boolean broken;
        private boolean discarding;

        Decoder() {
            super(SlipCodec.this.maxFrame);
        }

        @Override
        protected void push(byte b, FrameSink sink) {
            consumed++;
            if (b == END) {
                if (discarding) {
                    tooLong(consumed);
                } else if (broken || escaped) {
                    bad(consumed);
                } else if (len == 0) {
                    dropped(consumed);
                } else {
                    emit(sink, buf, 0, len, consumed);
                }
                clear();
                return;
            }
            if (discarding || broken) {
                return;
            }
            byte v = b;
            if (escaped) {
                escaped = false;
                if (b == ESC_END) {
                    v = END;
                } else if (b == ESC_ESC) {
                    v = ESC;
                } else {
                    broken = true;
                    return;
                }
            } else if (b == ESC) {
                escaped = true;
                return;
            }
            if (len == maxFrame) {
                discarding = true;
                return;
            }
            buf[len++] = v;
        }

        @Override
        protected int pending() {
            return consumed;
        }

        @Override
        protected void clear() {
            len = 0;
            consumed = 0;
            escaped = false;
            broken = false;
            discarding = false;
        }
    }
}
