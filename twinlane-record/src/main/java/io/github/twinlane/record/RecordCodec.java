package io.github.twinlane.record;

import io.github.twinlane.MessageType;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How one message class is stored in a recording and read back for replay: the bytes of one
 * message, and the schema that lets other tools (Foxglove, the MCAP CLI) decode them. Implement it for
 * your own types; {@link MotorCodecs} has the simulated drive's as JSON with a JSON Schema.
 *
 * <p>Threading: {@link #encode} is called on the recording's thread for that channel, {@link #decode}
 * on the replaying thread; one thread per call at a time, so an implementation may keep scratch state
 * only if it is thread-confined. Stateless implementations are simplest.
 *
 * @param <E> the mutable message class
 */
public interface RecordCodec<E> {

    /** @return how to make and copy the message class in-process */
    MessageType<E> type();

    /** @return the schema's name, for example {@code twinlane.motor.MotorTelemetry} */
    String schemaName();

    /** @return the schema's own format: {@code jsonschema}, or "" for none */
    String schemaEncoding();

    /** @return the schema itself (a JSON Schema for JSON messages); not changed by callers */
    byte[] schema();

    /** @return how each message is encoded: {@code json}, or another MCAP message encoding */
    String messageEncoding();

    /**
     * Writes one message.
     *
     * @param value the message, unchanged
     * @param out where to write its bytes
     * @throws IOException if {@code out} fails
     */
    void encode(E value, OutputStream out) throws IOException;

    /**
     * Reads one message back.
     *
     * @param data the bytes
     * @param offset where they start
     * @param length how many
     * @param into overwritten
     * @return false if the bytes are not a message of this codec (nothing is guessed)
     */
    boolean decode(byte[] data, int offset, int length, E into);
}
