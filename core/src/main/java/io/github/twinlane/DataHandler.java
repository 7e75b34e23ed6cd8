package io.github.twinlane;

/**
 * Receives data from a channel.
 *
 * <p>Threading: called on the channel's dispatcher thread (fast lane) or on a loop thread (slow
 * lane), never concurrently with itself. On the slow lane a call longer than the stall threshold is
 * logged and counted: hand heavy work to your own executor.
 *
 * <p>Reuse: {@code data} is a preallocated slot the runtime reuses; it is valid only during the
 * call. Copy what you need to keep ({@link MessageType#copy}).
 *
 * @param <T> the data type
 */
@FunctionalInterface
public interface DataHandler<T> {

    /**
     * Handles one value.
     *
     * @param data the value, valid only during this call
     * @param receivedNanos when the reader got it from the device, in {@link System#nanoTime()} units
     * @throws Exception anything: it is logged, counted as a handler error, and the lane keeps running
     */
    void onData(T data, long receivedNanos) throws Exception;
}
