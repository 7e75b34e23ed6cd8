package io.github.twinlane;

/**
 * How a fast-lane thread waits for the next message. The trade-off is latency against CPU:
 * on a 2-core robot computer never run more than one spinning thread.
 */
public enum WaitMode {
    /**
     * Park on a lock and condition until signalled. No CPU when idle; wakeup costs a few to tens of
     * microseconds. The default.
     */
    BLOCKING,
    /** Spin briefly, yield, then sleep in short parks. Little CPU when idle, lower wakeup latency. */
    SLEEPING,
    /** Spin then {@link Thread#yield()}. Low latency; uses a core while idle if none else wants it. */
    YIELDING,
    /**
     * Spin without pause. Lowest latency; burns a whole core per waiting thread for as long as the
     * channel is open. Only when a core is reserved for it (see the CPU plan), and never for more
     * than one thread per free core: set it for one direction
     * ({@code ChannelConfig.FastBuilder.commandWaitMode}), not both.
     */
    BUSY_SPIN
}
