package io.github.twinlane.internal;

/**
 * The arithmetic of a fixed-rate loop, apart from any clock: tick {@code k} is due at exactly
 * {@code start + k * period}, so lateness never accumulates into drift. A tick that starts a whole
 * period or more after its deadline has lost its slot: unless catching up was asked for, the loop
 * skips to the latest deadline already passed and counts the skipped ones as missed, instead of
 * running a burst of late ticks.
 *
 * <p>Not thread-safe: owned by the loop's thread.
 */
public final class DeadlineSchedule {
    private final long start;
    private final long period;
    private final boolean catchUp;
    private long index;
    private long missed;

    /**
     * Creates a schedule.
     *
     * @param startNanos the first deadline
     * @param periodNanos the period, more than 0
     * @param catchUp whether late ticks all run (a burst) instead of being skipped
     */
    public DeadlineSchedule(long startNanos, long periodNanos, boolean catchUp) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be more than 0 ns, was " + periodNanos);
        }
        this.start = startNanos;
        this.period = periodNanos;
        this.catchUp = catchUp;
    }

    /**
     * The deadline of the next tick.
     *
     * @return nanoseconds, on the clock the start was given in
     */
    public long nextDeadline() {
        return start + index * period;
    }

    /**
     * A tick starts now. Skips lost slots (counting them) unless catching up, and moves on.
     *
     * @param nowNanos the start time, on or after {@link #nextDeadline()}
     * @return the start's lateness against the first deadline still pending, before skipping (what
     *     a coordinated-omission-corrected histogram wants)
     */
    public long begin(long nowNanos) {
        long late = nowNanos - nextDeadline();
        if (!catchUp && late >= period) {
            long skip = late / period;
            missed += skip;
            index += skip;
        }
        index++;
        return late;
    }

    /**
     * Ticks run so far.
     *
     * @return the count
     */
    public long ticks() {
        return index - missed;
    }

    /**
     * Deadlines skipped because their slot was lost.
     *
     * @return the count
     */
    public long missed() {
        return missed;
    }

    /**
     * The period.
     *
     * @return nanoseconds
     */
    public long period() {
        return period;
    }
}
