package io.github.twinlane.foxglove;

import io.github.twinlane.record.RecordCodec;
import java.io.IOException;
import java.io.OutputStream;

/**
 * What a topic needs of an encoding: its schema and how to write one value. A recording's
 * {@link RecordCodec} is one (so a live view and a recording look the same); the server's own topics
 * (stats, log) are written only, never read back, so they implement just this.
 *
 * @param <E> the values' type
 */
interface TopicCodec<E> {
    String schemaName();

    String schemaEncoding();

    byte[] schema();

    String messageEncoding();

    void encode(E value, OutputStream out) throws IOException;

    static <E> TopicCodec<E> of(RecordCodec<E> c) {
        return new TopicCodec<>() {
            @Override
            public String schemaName() {
                return c.schemaName();
            }

            @Override
            public String schemaEncoding() {
                return c.schemaEncoding();
            }

            @Override
            public byte[] schema() {
                return c.schema();
            }

            @Override
            public String messageEncoding() {
                return c.messageEncoding();
            }

            @Override
            public void encode(E value, OutputStream out) throws IOException {
                c.encode(value, out);
            }
        };
    }
}
