package io.github.twinlane.record.mcap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A visitor that copies what it is given into a {@link McapWriter}: schemas, channels (their ids
 * mapped to the writer's), the messages a filter keeps, metadata and attachments. What {@code recover}
 * and {@code cut} are made of. The reading thread only; an I/O error of the writer surfaces as an
 * {@link UncheckedIOException} from the visitor method, which {@link #copy} turns back into the
 * {@link IOException} it was.
 */
public final class McapCopy implements McapVisitor {
    private final McapWriter writer;
    private final Predicate<McapMessage> keep;
    private final Map<Integer, Integer> schemaIds = new HashMap<>();
    private final Map<Integer, Integer> channelIds = new HashMap<>();
    private long copied;

    /**
     * @param writer where to copy
     * @param keep which messages to copy
     */
    public McapCopy(McapWriter writer, Predicate<McapMessage> keep) {
        this.writer = writer;
        this.keep = keep;
    }

    /**
     * Copies what {@code read} hands out.
     *
     * @param read a read of a file with this copy as its visitor, such as {@code reader::readAvailable}
     * @return what the read returned
     * @throws IOException from the read, or from the writer
     */
    public McapScan copy(Read read) throws IOException {
        try {
            return read.run(this);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A read of a file into a visitor: {@link McapReader#read} or {@link McapReader#readAvailable}. */
    @FunctionalInterface
    public interface Read {
        /**
         * @param visitor gets the records
         * @return how the read ended
         * @throws IOException if the file cannot be read
         */
        McapScan run(McapVisitor visitor) throws IOException;
    }

    /** @return messages copied so far */
    public long copied() {
        return copied;
    }

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
        if (!keep.test(m)) {
            return;
        }
        try {
            writer.message(channelIds.get(c.id()), m.sequence(), m.logTime(), m.publishTime(), m.data(), 0, m.data().length);
            copied++;
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
}
