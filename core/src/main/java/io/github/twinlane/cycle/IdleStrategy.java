package io.github.twinlane.cycle;

/**
 * How a thread waits when its {@link DutyCycle} found no work. Agrona's {@code IdleStrategy} shape:
 * the runner calls it after every duty cycle,
 *
 * <pre>{@code
 * while (running) {
 *     idle.idle(cycle.doWork());   // work > 0 resets the strategy, 0 waits a little (longer each time)
 * }
 * }</pre>
 *
 * <p>The family trades CPU for wake-up latency: {@link BusySpinIdleStrategy} never gives the core up
 * (only on a core reserved for it), {@link YieldingIdleStrategy} yields it, {@link BackoffIdleStrategy}
 * spins, then yields, then parks for longer and longer, {@link SleepingIdleStrategy} parks a fixed time.
 * A parked thread wakes early when another thread unparks it ({@link DutyCycleRunner#wake()}), so a
 * producer can end a park as soon as it has work for the cycle.
 *
 * <p>Threading: an instance belongs to one thread and keeps that thread's state; never share one.
 */
public interface IdleStrategy {

    /**
     * Idles if {@code workCount} is 0, else resets.
     *
     * @param workCount what the last duty cycle did
     */
    default void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    /** Waits once, a little longer than last time where the strategy backs off. */
    void idle();

    /** Work was found: the next wait starts short again. */
    void reset();
}
