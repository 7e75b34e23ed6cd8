package io.github.twinlane;

/**
 * What a channel does when the consumer of one direction falls behind: the app's handlers for
 * data, the device writer for commands. Whatever the policy, every value is accounted for:
 * {@code sent = delivered + dropped} once the channel is quiet, and {@link ChannelStats} says how.
 */
public enum BackpressurePolicy {
    /**
     * Conflate: the consumer only ever gets the newest value; the ones it skipped are counted as
     * dropped. The sender never waits. The default, and right for telemetry, frames and setpoints.
     */
    LATEST,
    /**
     * Keep the newest values up to the channel's capacity and drop the oldest queued ones first;
     * the sender never waits. When even the ring's slack is exhausted the newest value is still
     * kept, and the values between are dropped and counted.
     */
    DROP_OLDEST,
    /** When the queue is full, the new value is refused and counted; the queue keeps its order. */
    DROP_NEWEST,
    /**
     * When the queue is full, the sender waits up to the channel's block timeout for space, then
     * the value is refused and counted. The only policy under which {@code send} can block.
     */
    BLOCK
}
