package io.github.twinlane.record.mcap;

/**
 * What a {@link McapReader} may allocate and decode, so that a corrupt or hostile file is refused with a
 * {@link McapException} naming the limit (and this class's setting that raises it) before memory or time
 * is spent on it. Every size is checked against the file first and then against these limits, before
 * anything is allocated for it.
 *
 * <p>With these limits, reading one record allocates at most: the record as stored (at most {@link
 * #maxRecordBytes()}, and never more than the file holds), its chunk decoded into one array of the chunk's
 * declared size (at most {@link #maxChunkBytes()}, and at most {@link #maxCompressionRatio()} times the
 * chunk's compressed size), and the values handed to the visitor (copies out of that array: at most the
 * chunk's size again, kept only as long as the visitor keeps them). A file of {@code F} bytes thus makes the
 * reader hold at most about {@code F + 2 * min(maxChunkBytes, maxCompressionRatio * F)} bytes at once, and a
 * whole read decode at most {@code min(maxDecodedBytes, maxCompressionRatio * F)} bytes.
 *
 * <p>The defaults read every recording twinlane writes (its chunks are at most 64 MiB plus one message;
 * JSON telemetry compresses about 16 times, JPEG frames not at all, the simulated camera's raw frames up to
 * about 2,400 times) and refuse a chunk of zeros declaring 128 MiB (20,000 to 33,000 times, by the
 * compressor's settings). Flat content, such as raw frames that are all black, also compresses beyond 5,000
 * times: raise {@link #maxCompressionRatio()} to read such a recording. LZ4 cannot compress more than about
 * 255 times, so the ratio limit matters for zstd chunks; an LZ4 chunk of 128 MiB fits in about 520 KB, and
 * is bounded by {@link #maxChunkBytes()} alone, which is why the default follows the heap. The total, 1 TiB,
 * only bounds a read that would otherwise run for many minutes: lower it to read files from others, or when
 * what is read is kept (a replay holds its topic in memory).
 *
 * <p>Immutable and thread-safe; each {@code with} method returns a new instance and validates its value.
 * The defaults are the same in every JVM whose heap is over about 1 GiB; in a smaller one they follow its
 * heap, and a recording with chunks over a quarter of it is refused by name rather than run out of memory.
 */
public final class McapLimits {
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final long maxRecordBytes;
    private final long maxChunkBytes;
    private final int maxCompressionRatio;
    private final long maxDecodedBytes;

    private McapLimits(long maxRecordBytes, long maxChunkBytes, int maxCompressionRatio, long maxDecodedBytes) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxChunkBytes = maxChunkBytes;
        this.maxCompressionRatio = maxCompressionRatio;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /**
     * The defaults: records of at most 256 MiB and chunks of at most 128 MiB (twinlane's largest chunk is 64 MiB
     * and one message: about 100 MB with 4K raw frames), each at most a quarter of this JVM's heap ({@code
     * Runtime.maxMemory()}), so that one record, its decoded chunk and a message copied out of it never need more
     * than three quarters of the heap (about 64 MiB each in a 256 MiB JVM; tried with G1, Serial and Parallel: a
     * chunk of that size holding one message, stored incompressible, reads in such a JVM). A compression ratio of
     * at most 5,000 per chunk; at most 1 TiB decoded per read.
     *
     * @return the default limits for this JVM
     */
    public static McapLimits defaults() {
        // whole MiB (maxMemory leaves out a survivor space under some collectors); huge when the heap is unbounded
        long quarter = (Runtime.getRuntime().maxMemory() / 4) & -(1L << 20);
        return new McapLimits(Math.max(1 << 20, Math.min(256L << 20, quarter)),
                Math.max(1 << 20, Math.min(128L << 20, quarter)), 5_000, 1L << 40);
    }

    /**
     * @param bytes the largest record read whole (a chunk as stored, an attachment, the summary), 1 KiB to 2 GiB
     * @return these limits with another record size
     * @throws IllegalArgumentException naming the field, its range and the value given
     */
    public McapLimits withMaxRecordBytes(long bytes) {
        return new McapLimits(range("maxRecordBytes", bytes), maxChunkBytes, maxCompressionRatio, maxDecodedBytes);
    }

    /**
     * @param bytes the largest chunk decoded (its declared uncompressed size), 1 KiB to 2 GiB
     * @return these limits with another chunk size
     * @throws IllegalArgumentException naming the field, its range and the value given
     */
    public McapLimits withMaxChunkBytes(long bytes) {
        return new McapLimits(maxRecordBytes, range("maxChunkBytes", bytes), maxCompressionRatio, maxDecodedBytes);
    }

    /**
     * @param ratio the most a chunk may declare uncompressed per byte stored compressed, 1 to 1,000,000
     *     (1: no chunk may decode to more than it stores)
     * @return these limits with another ratio
     * @throws IllegalArgumentException naming the field, its range and the value given
     */
    public McapLimits withMaxCompressionRatio(int ratio) {
        if (ratio < 1 || ratio > 1_000_000) {
            throw new IllegalArgumentException("maxCompressionRatio must be from 1 to 1000000, was " + ratio);
        }
        return new McapLimits(maxRecordBytes, maxChunkBytes, ratio, maxDecodedBytes);
    }

    /**
     * @param bytes the most a read of a file may decode, the chunks' uncompressed sizes added up, at least 1 KiB
     * @return these limits with another total
     * @throws IllegalArgumentException naming the field, its range and the value given
     */
    public McapLimits withMaxDecodedBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxDecodedBytes must be at least 1 KiB, was " + bytes);
        }
        return new McapLimits(maxRecordBytes, maxChunkBytes, maxCompressionRatio, bytes);
    }

    private static long range(String field, long bytes) {
        if (bytes < 1024 || bytes > MAX_ARRAY) {
            throw new IllegalArgumentException(field + " must be from 1 KiB to 2 GiB, was " + bytes);
        }
        return bytes;
    }

    /**
     * Refuses a chunk before anything is allocated for it: a declared size over {@link #maxChunkBytes}, over
     * {@link #maxCompressionRatio} times what it stores (a decompression bomb), or that would take the read
     * past {@link #maxDecodedBytes}. The reader's thread.
     *
     * @param at the chunk's offset in the file, for the error
     * @param declared its declared uncompressed size (unsigned)
     * @param stored its records' size as stored
     * @param compression how they are stored
     * @param decoded what this read has decoded before it
     * @return what this read has decoded with it
     * @throws McapException naming the limit and its setting
     */
    long checkChunk(long at, long declared, int stored, McapCompression compression, long decoded) throws McapException {
        String size = Long.toUnsignedString(declared);
        if (declared < 0 || declared > maxChunkBytes) {
            throw new McapException(at, "chunk declares " + size + " bytes uncompressed, more than the reader's limit "
                    + "of " + maxChunkBytes + ": corrupt, hostile or written with huge chunks; "
                    + "McapLimits.maxChunkBytes raises the limit", "maxChunkBytes", null);
        }
        if (declared > (long) maxCompressionRatio * stored) {
            throw new McapException(at, "chunk declares " + size + " bytes uncompressed from " + stored + " "
                    + compression.wireName() + "-compressed (ratio " + (stored == 0 ? "unbounded" : declared / stored)
                    + " > limit " + maxCompressionRatio + "): a decompression bomb, or unusually uniform data; "
                    + "McapLimits.maxCompressionRatio raises the limit", "maxCompressionRatio", null);
        }
        if (declared > maxDecodedBytes - decoded) {
            throw new McapException(at, "chunk declares " + size + " bytes uncompressed, after " + decoded
                    + " already decoded by this read: more than the reader's limit of " + maxDecodedBytes
                    + " bytes per read; McapLimits.maxDecodedBytes raises the limit", "maxDecodedBytes", null);
        }
        return decoded + declared;
    }

    /** @return the largest record read whole, in bytes */
    public long maxRecordBytes() {
        return maxRecordBytes;
    }

    /** @return the largest declared uncompressed chunk, in bytes */
    public long maxChunkBytes() {
        return maxChunkBytes;
    }

    /** @return the most bytes a chunk may declare uncompressed per byte stored */
    public int maxCompressionRatio() {
        return maxCompressionRatio;
    }

    /** @return the most bytes one read of a file may decode */
    public long maxDecodedBytes() {
        return maxDecodedBytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof McapLimits && ((McapLimits) o).maxRecordBytes == maxRecordBytes
                && ((McapLimits) o).maxChunkBytes == maxChunkBytes
                && ((McapLimits) o).maxCompressionRatio == maxCompressionRatio
                && ((McapLimits) o).maxDecodedBytes == maxDecodedBytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(maxRecordBytes) * 31 * 31 * 31 + Long.hashCode(maxChunkBytes) * 31 * 31
                + maxCompressionRatio * 31 + Long.hashCode(maxDecodedBytes);
    }

    @Override
    public String toString() {
        return "McapLimits[maxRecordBytes=" + maxRecordBytes + ", maxChunkBytes=" + maxChunkBytes
                + ", maxCompressionRatio=" + maxCompressionRatio + ", maxDecodedBytes=" + maxDecodedBytes + "]";
    }
}
