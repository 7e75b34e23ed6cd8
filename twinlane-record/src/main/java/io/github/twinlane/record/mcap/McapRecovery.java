package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

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
        if (Files.exists(out) && Files.isSameFile(damaged, out)) {
            throw new IllegalArgumentException("recover writes a new file: give an output other than " + damaged);
        }
        long size = Files.size(damaged);
        try (McapReader reader = McapReader.open(damaged); McapWriter writer = McapWriter.create(out, options)) {
            Map<Integer, Integer> schemaIds = new HashMap<>();
            Map<Integer, Integer> channelIds = new HashMap<>();
            McapScan scan;
            try {
                scan = reader.readAvailable(new McapVisitor() {
                    @Override
                    public void schema(McapSchema s) {
                        schemaIds.put(s.id(), writer.schema(s.name(), s.encoding(), s.data()));
                    }

                    @Override
                    public void channel(McapChannel c) {
                        int schema = c.schemaId() == 0 ? 0 : schemaIds.getOrDefault(c.schemaId(), 0);
                        channelIds.put(c.id(), writer.channel(schema, c.topic(), c.messageEncoding(), c.metadata()));
                    }

                    @Override
                    public void message(McapChannel c, McapMessage m) {
                        try {
                            writer.message(channelIds.get(c.id()), m.sequence(), m.logTime(), m.publishTime(), m.data(), 0,
                                    m.data().length);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void metadata(McapMetadata m) {
                        try {
                            writer.metadata(m.name(), m.metadata());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    @Override
                    public void attachment(McapAttachment a) {
                        try {
                            writer.attachment(a);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            long kept = scan.complete() ? size : scan.validBytes();
            return new Report(scan.messages(), kept, size - kept,
                    scan.problem() == null ? null : scan.problem().getMessage());
        }
    }
}
