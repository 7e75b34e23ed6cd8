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
