package io.github.twinlane.internal;

/**
 * How long before a deadline a loop stops parking and spins, learned from how late the OS wakes it.
 * After each park the loop reports how far past its wake-up target it woke; the lead follows the
 * worst recent overshoot with a margin, jumping up at once when a wake-up is later than the lead
 * allows and shrinking slowly (1/64 of the gap per cycle) when wake-ups are early, so it spins as
 * little as the machine lets it and recovers from one bad wake-up within a few hundred cycles.
 *
 * <p>Threading: {@link #woke} on the loop's own thread; {@link #nanos()} from any. Allocates nothing.
 */
final class SpinLead {
    /** The shortest lead: below this a park is not worth its wake-up cost. */
    static final long MIN_NANOS = 10_000;
    /** Margin over the worst recent overshoot. */
    static final long MARGIN_NANOS = 10_000;
    private static final int DECAY_SHIFT = 6;

    private final long maxNanos;
    private volatile long leadNanos; // read by PeriodicLoop.spinLead() from any thread
    private long worstNanos;

    /**
     * @param initialNanos the lead before anything was measured
     * @param maxNanos the longest lead (at most half the loop's period: the loop must park at all)
     */
    SpinLead(long initialNanos, long maxNanos) {
        this.maxNanos = Math.max(MIN_NANOS, maxNanos);
        this.leadNanos = clamp(initialNanos);
        this.worstNanos = Math.max(0, leadNanos - MARGIN_NANOS);
    }

    /** The current lead. */
    long nanos() {
        return leadNanos;
    }

    /**
     * Learns from one park.
     *
     * @param overshootNanos how long after the time it asked for the thread ran again (negative if early)
     */
    void woke(long overshootNanos) {
        long o = Math.max(0, overshootNanos);
        if (o > worstNanos) {
            worstNanos = o; // a late wake-up: cover it from the next cycle on
        } else if (worstNanos > o) {
            worstNanos -= Math.max(1, (worstNanos - o) >> DECAY_SHIFT);
        }
        leadNanos = clamp(worstNanos + MARGIN_NANOS);
    }

    private long clamp(long nanos) {
        return Math.min(maxNanos, Math.max(MIN_NANOS, nanos));
    }
}
