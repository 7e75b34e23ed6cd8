package io.github.twinlane.record.mcap;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one record's content, little-endian, never past its end: every length read from the file is
 * checked against what is left before anything is allocated, so a hostile length gives a
 * {@link McapException} naming the offset, never an OutOfMemoryError. Not thread-safe.
 */
final class LeReader {
    private final byte[] bytes;
    private final int end;
    private final long fileOffset; // of bytes[0]
    private final String what;
    private int pos;

    /**
     * @param bytes the content
     * @param from where it starts in {@code bytes}
     * @param to where it ends (exclusive)
     * @param fileOffset the file offset of {@code bytes[0]}, for errors
     * @param what the record being read, for errors ("Channel record")
     */
    LeReader(byte[] bytes, int from, int to, long fileOffset, String what) {
        this.bytes = bytes;
        this.pos = from;
        this.end = to;
        this.fileOffset = fileOffset;
        this.what = what;
    }

    int remaining() {
        return end - pos;
    }

    int position() {
        return pos;
    }

    long fileOffset() {
        return fileOffset + pos;
    }

    private void need(int n, String field) throws McapException {
        if (n < 0 || n > end - pos) {
            throw new McapException(fileOffset + pos, what + ": its " + field + " needs " + (n < 0 ? "a negative number of"
                    : Integer.toString(n)) + " bytes but only " + (end - pos) + " are left in the record: the file is "
                    + "corrupt or truncated here");
        }
    }

    int u8(String field) throws McapException {
        need(1, field);
        return bytes[pos++] & 0xff;
    }

    int u16(String field) throws McapException {
        return (int) little(2, field);
    }

    long u32(String field) throws McapException {
        return little(4, field);
    }

    long u64(String field) throws McapException {
        return little(8, field);
    }

    /** The next {@code n} bytes as an unsigned little-endian number (u64 wraps into a long's sign). */
    private long little(int n, String field) throws McapException {
        need(n, field);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (bytes[pos + i] & 0xff) << (8 * i);
        }
        pos += n;
        return v;
    }

    /** A u32 length that must fit in what is left of the record. */
    int length32(String field) throws McapException {
        long n = u32(field + " length");
        if (n > end - pos) {
            throw new McapException(fileOffset + pos - 4, what + ": its " + field + " length " + n + " is more than the "
                    + (end - pos) + " bytes left in the record: the file is corrupt here");
        }
        return (int) n;
    }

    /** A u64 length that must fit in what is left of the record. */
    int length64(String field) throws McapException {
        long n = u64(field + " length");
        if (n < 0 || n > end - pos) {
            throw new McapException(fileOffset + pos - 8, what + ": its " + field + " length " + Long.toUnsignedString(n)
                    + " is more than the " + (end - pos) + " bytes left in the record: the file is corrupt here");
        }
        return (int) n;
    }

    byte[] bytes(int n, String field) throws McapException {
        need(n, field);
        byte[] b = java.util.Arrays.copyOfRange(bytes, pos, pos + n);
        pos += n;
        return b;
    }

    String string(String field) throws McapException {
        int n = length32(field);
        long at = fileOffset + pos;
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new McapException(at, what + ": its " + field + " is not valid UTF-8: the file is corrupt here");
        }
    }

    Map<String, String> stringMap(String field) throws McapException {
        int n = length32(field);
        int stop = pos + n;
        Map<String, String> m = new LinkedHashMap<>();
        LeReader in = new LeReader(bytes, pos, stop, fileOffset, what + " " + field);
        while (in.remaining() > 0) {
            m.put(in.string("key"), in.string("value"));
        }
        pos = stop;
        return Collections.unmodifiableMap(m);
    }

    /** Map&lt;uint16, uint64&gt;. */
    Map<Integer, Long> idMap(String field) throws McapException {
        int n = length32(field);
        if (n % 10 != 0) {
            throw new McapException(fileOffset + pos, what + ": its " + field + " holds " + n + " bytes, not a whole "
                    + "number of 10-byte entries: the file is corrupt here");
        }
        Map<Integer, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < n / 10; i++) {
            m.put(u16(field), u64(field));
        }
        return Collections.unmodifiableMap(m);
    }

    void skip(int n) throws McapException {
        need(n, "content");
        pos += n;
    }
}
