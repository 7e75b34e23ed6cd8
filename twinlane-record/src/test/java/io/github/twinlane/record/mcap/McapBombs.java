package io.github.twinlane.record.mcap;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Hand-built hostile MCAP files: chunks whose declared size, compression ratio or number are what a
 * limit of the reader must refuse. Everything else in them is valid (header, data-end CRC, footer), so
 * only the limit can stop them. The records a chunk of zeros decodes to are valid too: nine zero bytes
 * are a record of the unknown opcode 0 with no content, which the reader skips as the spec asks.
 */
final class McapBombs {
    /** The smallest record: opcode 0, length 0. A chunk of zeros of a multiple of this decodes cleanly. */
    static final int EMPTY_RECORD = Opcode.RECORD_PREFIX;

    private McapBombs() {
    }

    /** {@code n} zero bytes as one zstd frame, streamed from a small buffer: never {@code n} bytes in memory. */
    static byte[] zstdZeros(long n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 16];
        try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
            for (long left = n; left > 0; left -= zeros.length) {
                z.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code n} zero bytes as one LZ4 frame (independent blocks, as the writer writes), streamed from a small buffer. */
    static byte[] lz4Zeros(long n) {
        return lz4(new byte[0], n);
    }

    /** {@code head} and {@code zeros} zero bytes after it as one LZ4 frame, never all in memory. */
    static byte[] lz4(byte[] head, long zeros) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        try (net.jpountz.lz4.LZ4FrameOutputStream z = new net.jpountz.lz4.LZ4FrameOutputStream(out)) {
            z.write(head, 0, head.length);
            for (long left = zeros; left > 0; left -= buffer.length) {
                z.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An LZ4 chunk of {@code size} bytes uncompressed holding a channel and one message of zeros filling the rest:
     * the most a chunk of that size can make the reader copy out.
     */
    static byte[] chunkOfOneMessage(long size) {
        LeBuffer b = new LeBuffer(256);
        int c = b.beginRecord(Opcode.CHANNEL);
        b.u16(1).u16(0).string("/camera").string("x-raw").u32(0);
        b.endRecord(c);
        long data = size - b.size() - Opcode.RECORD_PREFIX - 22;
        b.u8(Opcode.MESSAGE).u64(22 + data).u16(1).u32(0).u64(0).u64(0);
        return chunk(McapCompression.LZ4, size, lz4(java.util.Arrays.copyOf(b.array(), b.size()), data));
    }

    /** {@code src} compressed as the writer compresses a chunk. */
    static byte[] compress(McapCompression c, byte[] src) {
        McapCompression.Packed p = new McapCompression.Packed();
        c.compress(src, src.length, p);
        return java.util.Arrays.copyOf(p.bytes, p.length);
    }

    /** A chunk record that declares {@code declared} bytes uncompressed, holding {@code records} (no CRC). */
    static byte[] chunk(McapCompression c, long declared, byte[] records) {
        LeBuffer b = new LeBuffer(records.length + 64);
        int at = b.beginRecord(Opcode.CHUNK);
        b.u64(0).u64(0).u64(declared).u32(0).string(c.wireName()).u64(records.length).bytes(records, 0, records.length);
        b.endRecord(at);
        return java.util.Arrays.copyOf(b.array(), b.size());
    }

    /** {@code record} with its length field claiming {@code length} bytes, whatever it holds. */
    static byte[] claiming(byte[] record, long length) {
        byte[] b = record.clone();
        java.nio.ByteBuffer.wrap(b, 1, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(length);
        return b;
    }

    /** Writes magic, header, the chunks, a data-end record with the true data CRC, a footer and the magic. */
    static Path write(Path file, List<byte[]> chunks) throws IOException {
        LeBuffer b = new LeBuffer(1024);
        b.bytes(Opcode.MAGIC, 0, Opcode.MAGIC.length);
        int h = b.beginRecord(Opcode.HEADER);
        b.string("").string("hostile");
        b.endRecord(h);
        for (byte[] c : chunks) {
            b.bytes(c, 0, c.length);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.size());
        int de = b.beginRecord(Opcode.DATA_END);
        b.u32(crc.getValue());
        b.endRecord(de);
        int f = b.beginRecord(Opcode.FOOTER);
        b.u64(0).u64(0).u32(0);
        b.endRecord(f);
        b.bytes(Opcode.MAGIC, 0, Opcode.MAGIC.length);
        Files.write(file, java.util.Arrays.copyOf(b.array(), b.size()));
        return file;
    }

    /**
     * One zstd chunk of {@code bytes} zeros (rounded down to whole empty records); the file had 256 MiB in
     * 13.7 KB, zstd-jni packs them into 8 KB.
     */
    static Path chunkOfZeros(Path file, long bytes) throws IOException {
        long n = bytes / EMPTY_RECORD * EMPTY_RECORD;
        return write(file, List.of(chunk(McapCompression.ZSTD, n, zstdZeros(n))));
    }
}
