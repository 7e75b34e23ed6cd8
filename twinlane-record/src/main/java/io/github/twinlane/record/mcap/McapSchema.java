package io.github.twinlane.record.mcap;

/**
 * A schema: how a channel's messages are laid out, for readers of the file.
 *
 * @param id its id in the file, from 1
 * @param name for example {@code foxglove.CompressedImage}
 * @param encoding the schema's own format, for example {@code jsonschema}; empty for none
 * @param data the schema text or bytes (not copied: do not change it)
 */
public record McapSchema(int id, String name, String encoding, byte[] data) {
}
