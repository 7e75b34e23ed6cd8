package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.util.Optional;

/**
 * An MCAP file that cannot be read as the format says: truncated, corrupt, or hostile. The message
 * names the byte offset where the problem was found and what was wrong there; {@link #offset()} gives
 * the offset for tools. Readers throw this and nothing else for bad input: a length that points past
 * the file, a CRC that does not match, a compressed chunk that does not inflate to its declared size, and
 * a size over one of the reader's {@link McapLimits}, which {@link #limit()} names.
 */
public final class McapException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String limit;

    /**
     * Creates the exception.
     *
     * @param offset the byte offset in the file where the problem was found
     * @param problem what is wrong there, and what to do if there is something to do
     */
    public McapException(long offset, String problem) {
        this(offset, problem, null, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param offset the byte offset in the file where the problem was found
     * @param problem what is wrong there
     * @param cause what the decompressor or the file system said
     */
    public McapException(long offset, String problem, Throwable cause) {
        this(offset, problem, null, cause);
    }

    /**
     * A refusal by one of the reader's limits, or a copy of another exception with its limit kept.
     *
     * @param limit the {@link McapLimits} setting that refused the file, or null for damage
     */
    McapException(long offset, String problem, String limit, Throwable cause) {
        super("at byte " + offset + ": " + problem, cause);
        this.offset = offset;
        this.limit = limit;
    }

    /** @return the byte offset in the file where the problem was found */
    public long offset() {
        return offset;
    }

    /**
     * @return the {@link McapLimits} setting that refused the file ({@code "maxCompressionRatio"}), if one of the
     *     reader's limits did rather than damage: a genuine recording so refused reads with that limit raised
     */
    public Optional<String> limit() {
        return Optional.ofNullable(limit);
    }
}
