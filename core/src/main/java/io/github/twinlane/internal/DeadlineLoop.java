package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopStats;
import io.github.twinlane.LoopTask;
import io.github.twinlane.PeriodicLoop;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeriodicLoop} on its own fast-lane thread: parks until each deadline (optionally spinning
 * the last stretch), records start lateness, runs the task, and counts what it misses.
 */
public final class DeadlineLoop implements PeriodicLoop {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineLoop.class);
    private final LoopConfig config;
    private final LoopTask task;
    private final LaneThreads threads;
    private final long closeTimeoutNanos;
    private final LatencyRecorder lateness = new LatencyRecorder();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    /**
     * Creates the loop; {@link #start()} starts it.
     *
     * @param config the configuration
     * @param task the cycle body
     * @param threads the thread source
     * @param closeTimeoutNanos the close bound
     */
    public DeadlineLoop(LoopConfig config, LoopTask task, LaneThreads threads, long closeTimeoutNanos) {
        this.config = config;
        this.task = task;
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
    }

    /** Starts the loop's thread; the first deadline is one period from now. */
    public void start() {
        thread = threads.start(Lane.FAST, config.name(), "loop", this::run);
    }

    private void run() {
        long period = config.period().toNanos();
        long spin = config.spin().toNanos();
        DeadlineSchedule schedule = new DeadlineSchedule(System.nanoTime() + period, period, config.catchUp());
        while (running) {
            long deadline = schedule.nextDeadline();
            long now;
            while (deadline - spin - (now = System.nanoTime()) > 0 && running) {
                LockSupport.parkNanos(deadline - spin - now);
            }
            while (deadline - (now = System.nanoTime()) > 0) {
                Thread.onSpinWait();
            }
            if (!running) {
                break;
            }
            long late = schedule.begin(now);
            lateness.recordCorrected(late, period);
            missed.lazySet(schedule.missed());
            long cycle = schedule.ticks() - 1;
            try {
                task.run(cycle);
            } catch (Throwable t) {
                long n = errors.incrementAndGet();
                if (n == 1 || Long.bitCount(n) == 1) {
                    LOG.error("Loop '{}' cycle {} threw (error #{}); the loop keeps its schedule", config.name(),
                            cycle, n, t);
                }
            }
            cycles.lazySet(schedule.ticks());
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public LoopStats stats() {
        return new LoopStats(config.name(), config.period().toNanos(), cycles.get(), missed.get(), errors.get(),
                LatencySummary.of(lateness.total()));
    }

    @Override
    public LatencySummary latenessSinceLastCall() {
        return LatencySummary.of(lateness.interval());
    }

    @Override
    public org.HdrHistogram.Histogram latenessHistogramSinceLastCall() {
        return lateness.interval().copy();
    }

    @Override
    public void close() {
        stop(System.nanoTime() + closeTimeoutNanos);
    }

    /**
     * Stops by a deadline.
     *
     * @param deadlineNanos the deadline
     * @return the loop thread if it is still alive then
     */
    public List<Thread> stop(long deadlineNanos) {
        running = false;
        if (thread == null) {
            return List.of();
        }
        thread.interrupt(); // a task blocked in sleep or I/O must not hold the loop past close
        List<Thread> alive = threads.join(List.of(thread), deadlineNanos);
        if (!alive.isEmpty()) {
            LOG.error("Loop '{}' did not stop within the close timeout: its task is stuck in {}", config.name(),
                    thread.getStackTrace().length > 0 ? thread.getStackTrace()[0] : "native code");
        }
        return alive;
    }
}
