package io.github.twinlane;

/**
 * Hears a channel's lifecycle transitions.
 *
 * <p>Threading: called on the lane thread that caused the transition (reader, loop or the thread
 * calling close); keep it short and non-blocking. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface StateListener {

    /**
     * One transition.
     *
     * @param channel the channel's name
     * @param from the previous state
     * @param to the new state
     * @param cause what caused it (the driver's exception when reconnecting or failing), or null
     */
    void onStateChange(String channel, ChannelState from, ChannelState to, Throwable cause);
}
