package io.github.twinlane.bench;

/** Big-endian longs in byte arrays without wrapping a ByteBuffer per message (that would be garbage at 1 kHz). */
final class Bytes {
    private Bytes() {
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
