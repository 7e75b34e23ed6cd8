package io.github.twinlane;

/**
 * An off-lane observer of one direction of a channel: a recorder, a live view, a bridge. The lane
 * only copies each value, with its timestamp, into the tap's bounded ring ({@link TapConfig}); a duty
 * cycle on a thread of the slow lane's CPUs ({@code twinlane-slow-<channel>-tap-<name>}) hands the
 * values to the tap's consumer. A consumer that falls behind loses values by the tap's policy, counted
 * in {@link #stats()}; it never slows, blocks or allocates on the lane, and never changes what the
 * channel's own handlers get.
 *
 * <p>Data taps see every value the device produced, stamped with its receive time, as read (before
 * the channel's own data policy applies). Command taps see every command written to the device,
 * stamped with its send time.
 *
 * <p>Threading: the consumer runs on the tap's own thread, one value at a time; the value it is handed
 * is a reused slot, valid only during the call (copy what you keep). {@link #stats()} and
 * {@link #close()} from any thread. A tap closes with its channel.
 */
public interface Tap extends AutoCloseable {

    /** The tap's name. */
    String name();

    /** Its counters. Any thread; allocates the snapshot. */
    TapStats stats();

    /** Stops observing: the lane no longer copies into it, and its thread ends. Idempotent. */
    @Override
    void close();
}
