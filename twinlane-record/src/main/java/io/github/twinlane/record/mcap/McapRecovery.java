package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a recording that was cut short (killed, power lost) or damaged part way into a complete
 * file: everything up to its last complete, valid record, with a fresh summary, indexes and footer.
 * The original is only read. Blocks; the calling thread.
 */
public final class McapRecovery {

    /**
     * What a recovery kept.
     *
     * @param messages messages copied
     * @param keptBytes bytes of the original that were complete and valid
     * @param lostBytes bytes after them, not recoverable (a partial chunk, a corrupt record)
     * @param problem why the original's data ended early, or null if it was complete already
     */
    public record Report(long messages, long keptBytes, long lostBytes, String problem) {
    }

    private McapRecovery() {
    }

    /**
     * Recovers {@code damaged} into {@code out} (created or replaced).
     *
     * @param damaged the recording as found
     * @param out where to write the complete file; must not be {@code damaged}
     * @param options how to write it
     * @return what was kept
     * @throws McapException if not even the original's header is readable
     * @throws IOException if either file cannot be read or written
     */
    public static Report recover(Path damaged, Path out, McapWriter.Options options) throws IOException {
        return recover(damaged, out, options, McapLimits.defaults());
    }

    /**
     * Recovers {@code damaged} into {@code out} (created or replaced), reading it with the limits given: what
     * precedes a chunk refused by a limit is kept, and the report's problem names the limit.
     *
     * @param damaged the recording as found
     * @param out where to write the complete file; must not be {@code damaged}
     * @param options how to write it
     * @param limits what reading the original may allocate and decode
     * @return what was kept
     * @throws McapException if not even the original's header is readable
     * @throws IOException if either file cannot be read or written
     */
    public static Report recover(Path damaged, Path out, McapWriter.Options options, McapLimits limits)
            throws IOException {
        if (Files.exists(out) && Files.isSameFile(damaged, out)) {
            throw new IllegalArgumentException("recover writes a new file: give an output other than " + damaged);
        }
        long size = Files.size(damaged);
        try (McapReader reader = McapReader.open(damaged, limits); McapWriter writer = McapWriter.create(out, options)) {
            McapScan scan = new McapCopy(writer, m -> true).copy(reader::readAvailable);
            long kept = scan.complete() ? size : scan.validBytes();
            return new Report(scan.messages(), kept, size - kept,
                    scan.problem() == null ? null : scan.problem().getMessage());
        }
    }
}
