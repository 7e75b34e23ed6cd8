package io.github.twinlane.record.mcap;

/**
 * What a linear read of a file hands out, record by record, in file order. Every method does nothing
 * by default; implement the ones you need. Called on the reading thread; a value belongs to the
 * visitor (nothing is reused).
 */
public interface McapVisitor {

    /**
     * The header.
     *
     * @param profile the header's profile
     * @param library the writer's name
     */
    default void header(String profile, String library) {
    }

    /** @param schema a schema, before any channel that uses it */
    default void schema(McapSchema schema) {
    }

    /** @param channel a channel, before any message on it */
    default void channel(McapChannel channel) {
    }

    /**
     * A message.
     *
     * @param channel its channel
     * @param message the message
     */
    default void message(McapChannel channel, McapMessage message) {
    }

    /** @param metadata a metadata record */
    default void metadata(McapMetadata metadata) {
    }

    /** @param attachment an attachment, its CRC checked */
    default void attachment(McapAttachment attachment) {
    }
}
