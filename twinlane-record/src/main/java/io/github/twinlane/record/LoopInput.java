package io.github.twinlane.record;

/**
 * One input of a recorded or replayed control cycle: what the cycle reads from a channel. Live it
 * is the channel's {@code latest}, recorded; in replay it is what the recorded cycle read.
 *
 * @param <T> the data type
 */
@FunctionalInterface
public interface LoopInput<T> {
    /**
     * The newest value, as the channel's {@link io.github.twinlane.DeviceChannel#latest}.
     *
     * @param into overwritten with the value when there is one
     * @return false if there was no value yet
     */
    boolean latest(T into);
}
