package io.github.twinlane;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * How to make and copy the messages of one kind: the commands a device accepts or the data it
 * produces.
 *
 * <p>twinlane preallocates every message it will ever hold (ring slots, latest-value slots,
 * scratch space) with {@link #newInstance()} when a channel opens, and afterwards only moves data
 * between them with {@link #copy(Object, Object)}. That is what lets the fast lane run without
 * allocating per message: keep message classes mutable, with fixed-size fields.
 *
 * <p>Threading: both methods are called from lane threads and from application threads at the
 * same time, on different instances; implementations must be stateless.
 *
 * @param <E> the mutable message class
 */
public interface MessageType<E> {

    /**
     * Creates one empty message. Called only while a channel is being set up.
     *
     * @return a new, empty message
     */
    E newInstance();

    /**
     * Copies every field of {@code from} into {@code to}. Must not allocate in steady state and
     * must not keep references to either argument.
     *
     * <p>May be called concurrently with a writer of {@code from} during an optimistic read; an
     * exception it throws then is caught and the copy retried under a lock, so a copy that reads a
     * length field and then an array is safe.
     *
     * @param from the source, unchanged
     * @param to the destination, overwritten
     */
    void copy(E from, E to);

    /**
     * The Java heap one message holds, for the runtime's memory budgets: a channel's rings and a tap's are
     * {@code slots * (heapBytes + directBytes)} of preallocated messages, and the runtime refuses, when the
     * channel opens or the tap is made, a reservation its budget or the JVM's limits cannot hold. Called
     * once, on a new {@link #newInstance()}, while a channel or tap is set up.
     *
     * <p>The default, 64 bytes, is a message of a few fixed-size fields (an object header and up to about
     * six {@code long}s). Override it for a type that holds arrays: their lengths in bytes plus 16 each.
     *
     * @param message a new, empty message of this type
     * @return its heap bytes, at least 0
     */
    default long heapBytes(E message) {
        return 64;
    }

    /**
     * The native (direct {@link java.nio.ByteBuffer}) memory one message holds, counted against the JVM's
     * direct-memory limit ({@code -XX:MaxDirectMemorySize}) when a channel or tap is set up; see
     * {@link #heapBytes}. The default is none; {@link io.github.twinlane.video.VideoFrame#type} and
     * {@link io.github.twinlane.video.EncodedPacket#type} report their buffers' capacity.
     *
     * @param message a new, empty message of this type
     * @return its direct bytes, at least 0
     */
    default long directBytes(E message) {
        return 0;
    }

    /**
     * A message type from a factory and a copier, for example
     * {@code MessageType.of(MotorCommand::new, MotorCommand::copyTo)}.
     *
     * @param factory makes one empty message
     * @param copier copies the first argument into the second
     * @param <E> the message class
     * @return the message type
     */
    static <E> MessageType<E> of(Supplier<E> factory, BiConsumer<E, E> copier) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(copier, "copier");
        return new MessageType<>() {
            @Override
            public E newInstance() {
                return Objects.requireNonNull(factory.get(),
                        "MessageType factory returned null: it must return a new, empty message");
            }

            @Override
            public void copy(E from, E to) {
                copier.accept(from, to);
            }
        };
    }
}
