package io.github.twinlane.record.mcap;

import java.io.IOException;

/**
 * An MCAP file that cannot be read as the format says: truncated, corrupt, or hostile. The message
 * names the byte offset where the problem was found and what was wrong there; {@link #offset()} gives
 * the offset for tools. Readers throw this and nothing else for bad input: a length that points past
 * the file, a CRC that does not match, a compressed chunk that does not inflate to its declared size.
 */
public final class McapException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param offset the byte offset in the file where the problem was found
     * @param problem what is wrong there, and what to do if there is something to do
     */
    public McapException(long offset, String problem) {
        super("at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param offset the byte offset in the file where the problem was found
     * @param problem what is wrong there
     * @param cause what the decompressor or the file system said
     */
    public McapException(long offset, String problem, Throwable cause) {
        super("at byte " + offset + ": " + problem, cause);
        this.offset = offset;
    }

    /** @return the byte offset in the file where the problem was found */
    public long offset() {
        return offset;
    }
}
