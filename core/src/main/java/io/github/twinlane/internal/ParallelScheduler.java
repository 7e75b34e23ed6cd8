package io.github.twinlane.internal;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopTask;
import io.github.twinlane.spi.DeviceDriver;

/**
 * The fast lane: every channel and every periodic loop gets dedicated platform threads, which run
 * side by side on the cores the CPU plan reserves for this lane.
 */
public final class ParallelScheduler {
    private final LaneThreads threads;
    private final long closeTimeoutNanos;

    /**
     * Creates the scheduler.
     *
     * @param threads where threads come from
     * @param closeTimeoutNanos the close bound for what it starts
     */
    public ParallelScheduler(LaneThreads threads, long closeTimeoutNanos) {
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
    }

    /**
     * Creates a fast channel; its {@code start()} starts the reader, dispatcher and writer threads.
     *
     * @param config the configuration
     * @param driver the device
     * @param supervisor checks watchdogs and stale inputs
     * @param <C> command type
     * @param <T> data type
     * @return the channel, not started
     */
    public <C, T> FastChannel<C, T> create(ChannelConfig config, DeviceDriver<C, T> driver, Supervisor supervisor) {
        return new FastChannel<>(config, driver, threads, closeTimeoutNanos, supervisor);
    }

    /**
     * Starts a periodic loop on its own thread.
     *
     * @param config the loop's configuration
     * @param task its body
     * @return the started loop
     */
    public DeadlineLoop every(LoopConfig config, LoopTask task) {
        DeadlineLoop loop = new DeadlineLoop(config, task, threads, closeTimeoutNanos);
        loop.start();
        return loop;
    }
}
