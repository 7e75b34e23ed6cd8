package io.github.twinlane.internal;

import io.github.twinlane.Lane;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopStats;
import io.github.twinlane.LoopTask;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeriodicLoop} on its own fast-lane thread: parks until each deadline (optionally spinning
 * the last stretch), records start lateness, runs the task, and counts what it misses. Channels
 * placed {@link io.github.twinlane.Placement#IN_LOOP} that it drives are read (device, then handlers)
 * before the task and written after it, on the same thread.
 */
public final class DeadlineLoop implements PeriodicLoop, DutyCycle {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineLoop.class);
    private final LoopConfig config;
    private final LoopTask task;
    private final LaneThreads threads;
    private final long closeTimeoutNanos;
    private final LatencyRecorder lateness = new LatencyRecorder();
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final long periodNanos;
    private final long spinNanos;
    private static final long INITIAL_LEAD_NANOS = 100_000;
    private static final long MAX_LEAD_NANOS = 250_000;
    private final SpinLead lead;
    private final List<FastChannel<?, ?>> driven;
    private final io.github.twinlane.spi.LogLimiter errorLog = new io.github.twinlane.spi.LogLimiter(); // loop thread
    private DeadlineSchedule schedule;
    private volatile DutyCycleRunner runner;

    /**
     * Creates the loop; {@link #start()} starts it.
     *
     * @param config the configuration
     * @param task the cycle body
     * @param threads the thread source
     * @param closeTimeoutNanos the close bound
     * @param driven channels placed in this loop, already bound to it
     * @param maySpin whether this loop may learn a spin lead (the one spinning thread the reserved core
     *     allows); false keeps an {@link LoopConfig#ADAPTIVE} loop parking only
     */
    public DeadlineLoop(LoopConfig config, LoopTask task, LaneThreads threads, long closeTimeoutNanos,
                        List<FastChannel<?, ?>> driven, boolean maySpin) {
        this.config = config;
        this.task = task;
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.periodNanos = config.period().toNanos();
        // a learned lead only where spinning takes time from nothing else: the CPU plan's reserved core
        this.lead = maySpin && config.adaptiveSpin() && threads.placement().reservesFastCore()
                ? new SpinLead(Math.min(INITIAL_LEAD_NANOS, maxLead(periodNanos)), maxLead(periodNanos)) : null;
        this.spinNanos = config.adaptiveSpin() ? 0 : config.spin().toNanos();
        this.driven = List.copyOf(driven);
    }

    /** The longest learned lead: a quarter of the period, at most 250 µs (a 1 kHz loop spins at most a quarter). */
    static long maxLead(long periodNanos) {
        return Math.min(periodNanos / 4, MAX_LEAD_NANOS);
    }

    /** @return whether this loop learns a spin lead (adaptive, on the reserved core, the runtime's spinning loop) */
    public boolean spins() {
        return lead != null;
    }

    /** Starts the loop's thread; the first deadline is one period from now. */
    public void start() {
        schedule = new DeadlineSchedule(System.nanoTime() + periodNanos, periodNanos, config.catchUp());
        runner = threads.run(Lane.FAST, config.name(), "loop", this, new UntilDeadline());
    }

    /**
     * Runs the task once its deadline has come; before that there is nothing to do, and the idle
     * strategy waits for it.
     */
    @Override
    public int doWork() {
        long now = System.nanoTime();
        if (schedule.nextDeadline() - now > 0) {
            return 0;
        }
        long late = schedule.begin(now);
        lateness.recordCorrected(late, periodNanos);
        missed.lazySet(schedule.missed());
        long cycle = schedule.ticks() - 1;
        for (int i = 0; i < driven.size(); i++) {
            readIn(driven.get(i)); // one channel's failure never stops the others, nor the task
        }
        try {
            task.run(cycle);
        } catch (Throwable t) {
            long n = errors.incrementAndGet();
            long since = errorLog.due();
            if (since > 0) {
                LOG.error("Loop '{}' cycle {} threw (error #{}, {} since the last such line); the loop keeps its "
                        + "schedule", config.name(), cycle, n, since, t);
            }
        }
        for (int i = 0; i < driven.size(); i++) {
            writeOut(driven.get(i)); // also after a task that threw: what it sent before is written
        }
        cycles.lazySet(schedule.ticks());
        return 1;
    }

    private void readIn(FastChannel<?, ?> ch) {
        try {
            ch.readIn();
        } catch (Throwable t) {
            channelError(ch, "reading", t);
        }
    }

    private void writeOut(FastChannel<?, ?> ch) {
        try {
            ch.writeOut();
        } catch (Throwable t) {
            channelError(ch, "writing", t);
        }
    }

    private void channelError(FastChannel<?, ?> ch, String what, Throwable t) {
        long n = errors.incrementAndGet();
        long since = errorLog.due();
        if (since > 0) {
            LOG.error("Loop '{}': {} channel '{}' threw (error #{}, {} since the last such line); the loop keeps its "
                    + "schedule and its other channels", config.name(), what, ch.name(), n, since, t);
        }
    }

    /**
     * Parks until the spin lead before the next deadline, then spins the rest: a fixed lead
     * ({@code LoopConfig.spin}, none by default without a reserved core), or one learned from each
     * park's overshoot ({@link SpinLead}) when the spin is adaptive and the core is the loop's.
     */
    private final class UntilDeadline implements IdleStrategy {
        @Override
        public void idle() {
            long deadline = schedule.nextDeadline();
            long spin = lead != null ? lead.nanos() : spinNanos;
            long wakeAt = deadline - spin;
            long now = System.nanoTime();
            if (wakeAt - now > 0) {
                LockSupport.parkNanos(wakeAt - now);
                if (lead != null) {
                    lead.woke(System.nanoTime() - wakeAt);
                }
                return; // the runner checks whether it should stop, then asks again
            }
            DutyCycleRunner r = runner; // null only in the moment before start() assigns it
            while (deadline - System.nanoTime() > 0 && (r == null || r.isRunning())) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void reset() {
        }
    }

    @Override
    public java.time.Duration spinLead() {
        return java.time.Duration.ofNanos(lead != null ? lead.nanos() : spinNanos);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public LoopStats stats() {
        return new LoopStats(config.name(), config.period().toNanos(), cycles.get(), missed.get(), errors.get(),
                Latencies.summary(lateness.total()));
    }

    @Override
    public LatencySummary latenessSinceLastCall() {
        return Latencies.summary(lateness.interval());
    }

    @Override
    public io.github.twinlane.LatencyDistribution latenessDistributionSinceLastCall() {
        return Latencies.distribution(lateness.interval());
    }

    /** Stops the loop, then closes the channels it drives: without their loop nothing reads or writes them. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + closeTimeoutNanos;
        for (FastChannel<?, ?> ch : driven) {
            ch.beginClose(); // safe commands first: interrupting the loop mid-read may close a device
        }
        long safeBy = ChannelCore.safeCommandsBy(deadline);
        for (FastChannel<?, ?> ch : driven) {
            ch.awaitSafeAtClose(safeBy);
        }
        stop(deadline);
        for (FastChannel<?, ?> ch : driven) {
            ch.closeDevice(deadline);
        }
        for (FastChannel<?, ?> ch : driven) {
            ch.stopThreadsBy(deadline);
        }
    }

    /**
     * Stops by a deadline.
     *
     * @param deadlineNanos the deadline
     * @return the loop thread if it is still alive then
     */
    public List<Thread> stop(long deadlineNanos) {
        if (runner == null) {
            return List.of();
        }
        // interrupted too: a task blocked in sleep or I/O must not hold the loop past close
        List<Thread> alive = threads.stop(List.of(runner), true, deadlineNanos);
        if (!alive.isEmpty()) {
            Thread t = runner.thread();
            StackTraceElement[] at = t.getStackTrace(); // once: the thread may end between two reads
            LOG.error("Loop '{}' did not stop within the close timeout: its task is stuck in {}", config.name(),
                    at.length > 0 ? at[0] : "native code (or it just ended)");
        }
        return alive;
    }
}
