package io.github.twinlane.serial.codec;

/**
 * Frames of one fixed length, optionally led by a sync byte. With a sync byte the decoder hunts for
 * it after garbage (bytes before it are dropped and counted); without one, the stream is cut every
 * {@code length} bytes and cannot resynchronise by itself: prefer a sync byte.
 */
public final class FixedLengthCodec implements FramingCodec {
    private final int length;
    private final boolean synced;
    private final byte sync;

    /**
     * A codec.
     *
     * @param length the payload length of every frame, 1 to 65,535
     * @param sync the byte each frame starts with, or null for none
     */
    public FixedLengthCodec(int length, Byte sync) {
        if (length < 1 || length > 65_535) {
            throw new IllegalArgumentException("length must be from 1 to 65535, was " + length);
        }
        this.length = length;
        this.synced = sync != null;
        this.sync = synced ? sync : 0;
    }

    @Override
    public int maxFrame() {
        return length;
    }

    @Override
    public int maxEncodedLength(int payloadLength) {
        return length + (synced ? 1 : 0);
    }

    @Override
    public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        if (len != length) {
            throw new IllegalArgumentException("payload length must be exactly " + length + ", was " + len);
        }
        int o = dstOff;
        if (synced) {
            dst[o++] = sync;
        }
        System.arraycopy(src, off, dst, o, len);
        return o + len - dstOff;
    }

    @Override
    public FrameDecoder newDecoder() {
        return new Decoder();
    }

    private final class Decoder extends FrameDecoder {
        private final byte[] buf = new byte[length];
        private int n;
        private boolean inFrame;

        Decoder() {
            super(length);
            inFrame = !synced;
        }

        @Override
        protected void push(byte b, FrameSink sink) {
            if (!inFrame) {
                if (b == sync) {
                    inFrame = true;
                } else {
                    dropped(1);
                }
                return;
            }
            buf[n++] = b;
            if (n == length) {
                n = 0;
                inFrame = !synced;
                emit(sink, buf, 0, length, length + (synced ? 1 : 0));
            }
        }

        @Override
        protected int pending() {
            return n + (synced && inFrame ? 1 : 0);
        }

        @Override
        protected void clear() {
            n = 0;
            inFrame = !synced;
        }
    }
}
