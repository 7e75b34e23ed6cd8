package io.github.twinlane.aeron;

import java.util.Objects;

/**
 * What one exported device speaks: its commands and data codecs under a schema id and version.
 * Both ends of a link must use the same id and version; a message under any other is not decoded
 * but counted and reported as a mismatch, naming both, so an out-of-date peer shows up as a clear
 * error instead of garbage. Bump the version whenever a codec's layout changes.
 *
 * @param id identifies the message layout family, 1 to 65535 (0 is reserved)
 * @param version the layout's version, 0 to 65535
 * @param commands the codec for commands flowing to the device
 * @param data the codec for data flowing from it
 * @param <C> command type
 * @param <T> data type
 */
public record Schema<C, T>(int id, int version, WireCodec<C> commands, WireCodec<T> data) {

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the field out of range
     */
    public Schema {
        if (id < 1 || id > 0xFFFF) {
            throw new IllegalArgumentException("schema id must be 1 to 65535, was " + id);
        }
        if (version < 0 || version > 0xFFFF) {
            throw new IllegalArgumentException("schema version must be 0 to 65535, was " + version);
        }
        io.github.twinlane.spi.Require.notNull(commands, "commands", "a WireCodec");
        io.github.twinlane.spi.Require.notNull(data, "data", "a WireCodec");
    }

    /**
     * A schema.
     *
     * @param id 1 to 65535
     * @param version 0 to 65535
     * @param commands the command codec
     * @param data the data codec
     * @param <C> command type
     * @param <T> data type
     * @return the schema
     */
    public static <C, T> Schema<C, T> of(int id, int version, WireCodec<C> commands, WireCodec<T> data) {
        return new Schema<>(id, version, commands, data);
    }

    /**
     * The same codecs under another version; for tests of mismatch handling and for migrations.
     *
     * @param newVersion the version
     * @return a schema differing only in version
     */
    public Schema<C, T> withVersion(int newVersion) {
        return new Schema<>(id, newVersion, commands, data);
    }

    @Override
    public String toString() {
        return "schema " + id + " v" + version;
    }
}
