package io.github.twinlane.record.mcap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A growable little-endian byte buffer for building records. Not thread-safe; reused by clearing.
 * Grows by doubling, so a recording's steady state allocates nothing here.
 */
final class LeBuffer {
    private byte[] bytes;
    private int size;

    LeBuffer(int initial) {
        bytes = new byte[Math.max(16, initial)];
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long want = Math.max((long) bytes.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a record over 2 GB cannot be built in memory");
            }
            bytes = Arrays.copyOf(bytes, (int) want);
        }
    }

    LeBuffer u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    LeBuffer u16(int v) {
        ensure(2);
        bytes[size++] = (byte) v;
        bytes[size++] = (byte) (v >>> 8);
        return this;
    }

    LeBuffer u32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    LeBuffer u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** Overwrites 8 bytes at {@code at} (a length known only after its content was written). */
    void u64At(int at, long v) {
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Overwrites 4 bytes at {@code at}. */
    void u32At(int at, long v) {
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (v >>> (8 * i));
        }
    }

    LeBuffer bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
        return this;
    }

    LeBuffer string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return bytes(b, 0, b.length);
    }

    LeBuffer stringMap(Map<String, String> m) {
        int at = size;
        u32(0);
        for (Map.Entry<String, String> e : m.entrySet()) {
            string(e.getKey());
            string(e.getValue());
        }
        u32At(at, size - at - 4);
        return this;
    }

    /** Starts a record: opcode and a length to fill in with {@link #endRecord}. */
    int beginRecord(int opcode) {
        u8(opcode);
        int at = size;
        u64(0);
        return at;
    }

    void endRecord(int lengthAt) {
        u64At(lengthAt, size - lengthAt - 8);
    }
}
