package io.github.twinlane.record.mcap;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * How a chunk's records are compressed, chosen per recording: {@link #ZSTD} (the default: the best
 * ratio for its speed, what the format's own tools write), {@link #LZ4} (the LZ4 frame format: faster,
 * larger) or {@link #NONE}. Stateless; any thread.
 *
 * <p>Libraries: zstd-jni both ways; lz4-java writes LZ4 frames (independent blocks), Apache Commons
 * Compress reads them, because other writers (the format's C++ library, lz4js) link their blocks by
 * default and lz4-java's frame reader refuses linked blocks.
 */
public enum McapCompression {
    /** Records stored as they are. */
    NONE(""),
    /** Zstandard, level 3 (zstd-jni). */
    ZSTD("zstd"),
    /** LZ4 frames (lz4-java). */
    LZ4("lz4");

    private static final int ZSTD_LEVEL = 3;
    private final String wireName;

    McapCompression(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name the format stores in a chunk: "", "zstd" or "lz4" */
    public String wireName() {
        return wireName;
    }

    /**
     * The compression a chunk names.
     *
     * @param name the chunk's compression field
     * @param offset where the chunk is, for the error
     * @return the compression
     * @throws McapException if the name is not one this reader knows
     */
    static McapCompression of(String name, long offset) throws McapException {
        for (McapCompression c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new McapException(offset, "chunk compressed with \"" + printable(name) + "\", which this reader does "
                + "not know (it reads \"\", \"zstd\" and \"lz4\")");
    }

    /**
     * Compresses {@code src[0..length)} into {@code into}, whose buffers are kept from chunk to chunk (zstd
     * allocates nothing once its buffer has grown to the largest chunk's bound). The writer's thread.
     *
     * @param src the records
     * @param length how many bytes of it
     * @param into where the compressed bytes go: {@code into.bytes[0..into.length)}
     */
    void compress(byte[] src, int length, Packed into) {
        switch (this) {
            case ZSTD: {
                int bound = (int) Zstd.compressBound(length);
                if (into.bytes.length < bound) {
                    into.bytes = new byte[bound];
                }
                long n = Zstd.compressByteArray(into.bytes, 0, into.bytes.length, src, 0, length, ZSTD_LEVEL);
                if (Zstd.isError(n)) {
                    throw new IllegalStateException("zstd could not compress a chunk: " + Zstd.getErrorName(n));
                }
                into.length = (int) n;
                return;
            }
            case LZ4: {
                into.stream.reset();
                try (LZ4FrameOutputStream lz = new LZ4FrameOutputStream(into.stream)) {
                    lz.write(src, 0, length);
                } catch (IOException e) {
                    throw new IllegalStateException("lz4 into memory cannot fail", e);
                }
                into.bytes = into.stream.array();
                into.length = into.stream.size();
                return;
            }
            default:
                into.bytes = src;
                into.length = length;
        }
    }

    /** A chunk's compressed bytes, in buffers reused from chunk to chunk. One writer's thread. */
    static final class Packed {
        byte[] bytes = new byte[0];
        int length;
        final Sink stream = new Sink();

        /** An output stream whose array is read in place. */
        static final class Sink extends ByteArrayOutputStream {
            byte[] array() {
                return buf;
            }
        }
    }

    /**
     * Decompresses a chunk's records into one array of exactly {@code size} bytes, allocated once: the
     * caller has checked {@code size} against the reader's limits (the chunk size, the compression ratio, the
     * read's total) before calling. zstd decodes straight into it (zstd-jni, no stream); an LZ4 frame is read
     * into it through Commons Compress, whose own buffers are bounded by the format (a block is at most 4 MiB).
     * Not for {@link #NONE}, whose records are used where they are stored.
     *
     * @param src holds the compressed records
     * @param from where they start in {@code src}
     * @param length how many bytes they are
     * @param size the chunk's declared uncompressed size, already bounded by the reader's limits
     * @param offset where the records are in the file, for errors
     * @return the records
     * @throws McapException if the data does not decompress to exactly {@code size} bytes
     */
    byte[] decompress(byte[] src, int from, int length, int size, long offset) throws McapException {
        if (this == NONE) {
            throw new IllegalStateException("an uncompressed chunk's records are read where they are stored");
        }
        byte[] dst = new byte[size];
        if (this == ZSTD) {
            long n;
            try {
                n = Zstd.decompressByteArray(dst, 0, size, src, from, length);
            } catch (RuntimeException e) {
                throw new McapException(offset, "zstd chunk does not decompress (" + e.getMessage()
                        + "): the file is corrupt here", e);
            }
            if (Zstd.isError(n)) {
                throw new McapException(offset, "zstd chunk does not decompress to its declared " + size + " bytes ("
                        + Zstd.getErrorName(n) + "): the file is corrupt here");
            }
            if (n != size) {
                throw new McapException(offset, "zstd chunk decompresses to " + n + " bytes, not its declared " + size
                        + ": the file is corrupt here");
            }
            return dst;
        }
        try (InputStream in = new FramedLZ4CompressorInputStream(new ByteArrayInputStream(src, from, length))) {
            int got = 0;
            while (got < size) {
                int n = in.read(dst, got, size - got);
                if (n < 0) {
                    break;
                }
                got += n;
            }
            if (got != size || in.read() != -1) {
                throw new McapException(offset, "lz4 chunk does not decompress to its declared " + size
                        + " bytes: the file is corrupt here");
            }
            return dst;
        } catch (McapException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new McapException(offset, "lz4 chunk does not decompress (" + e.getMessage()
                    + "): the file is corrupt here", e);
        }
    }

    static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
