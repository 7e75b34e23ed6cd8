package io.github.twinlane;

/**
 * A running fixed-rate loop on the fast lane, made by {@link TwinlaneRuntime#every}. Deadlines are
 * absolute ({@code start + k * period}): lateness never turns into drift.
 */
public interface PeriodicLoop extends AutoCloseable {

    /**
     * The loop's name.
     *
     * @return the name
     */
    String name();

    /**
     * Everything since the loop started.
     *
     * @return the statistics; allocates
     */
    LoopStats stats();

    /**
     * Start lateness since the previous call (for a once-a-second display). Any single thread.
     *
     * @return the interval's lateness
     */
    LatencySummary latenessSinceLastCall();

    /**
     * Start lateness since the previous call of this method or {@link #latenessSinceLastCall()}, as a
     * full HdrHistogram (nanoseconds, corrected for coordinated omission), for reports and plots.
     *
     * @return a new histogram; allocates
     */
    LatencyDistribution latenessDistributionSinceLastCall();

    /**
     * How long before each deadline the loop stops parking and spins now: the learned lead of an
     * {@link LoopConfig#ADAPTIVE} loop on the CPU plan's reserved core, the fixed {@link LoopConfig#spin()},
     * or zero. Any thread; the value may change every cycle.
     *
     * @return the lead
     */
    java.time.Duration spinLead();

    /** Stops the loop after its current cycle; waits for that within the runtime's close timeout. */
    @Override
    void close();
}
