package io.github.twinlane.record.mcap;

import java.util.Map;

/**
 * A channel of the file: one topic, its message encoding and schema.
 *
 * @param id its id in the file
 * @param schemaId its schema, 0 for none
 * @param topic the topic, for example {@code /drive/data}
 * @param messageEncoding for example {@code json}
 * @param metadata free key/value pairs (unmodifiable)
 */
public record McapChannel(int id, int schemaId, String topic, String messageEncoding, Map<String, String> metadata) {
}
