package io.github.twinlane.record.mcap;

/**
 * What a reader will allocate for one record, so that a corrupt or hostile length is refused with a
 * clear error before memory is spent on it. A chunk's declared uncompressed size is checked too,
 * and inflating never allocates more than the data really holds.
 *
 * @param maxRecordBytes the largest record read whole (a chunk as stored, an attachment), 1 KiB to 2 GiB
 * @param maxChunkBytes the largest uncompressed chunk, 1 KiB to 2 GiB
 */
public record McapLimits(long maxRecordBytes, long maxChunkBytes) {
    private static final long MAX = Integer.MAX_VALUE - 16;

    /**
     * Validates both.
     *
     * @throws IllegalArgumentException naming the field and its range
     */
    public McapLimits {
        if (maxRecordBytes < 1024 || maxRecordBytes > MAX) {
            throw new IllegalArgumentException("maxRecordBytes must be from 1 KiB to 2 GiB, was " + maxRecordBytes);
        }
        if (maxChunkBytes < 1024 || maxChunkBytes > MAX) {
            throw new IllegalArgumentException("maxChunkBytes must be from 1 KiB to 2 GiB, was " + maxChunkBytes);
        }
    }

    /** @return 256 MiB for both: four times the largest chunk twinlane writes */
    public static McapLimits defaults() {
        return new McapLimits(256L << 20, 256L << 20);
    }
}
