package io.github.twinlane;

import io.github.twinlane.internal.ChannelCore;
import io.github.twinlane.internal.CpuPlacement;
import io.github.twinlane.internal.DeadlineLoop;
import io.github.twinlane.internal.FastChannel;
import io.github.twinlane.internal.LaneThreads;
import io.github.twinlane.internal.MemoryBudget;
import io.github.twinlane.internal.Supervisor;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns both lanes and everything on them: open channels and periodic loops here, close it once
 * (try-with-resources) and every thread it started is gone within the close timeout.
 *
 * <pre>{@code
 * try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
 *     DeviceChannel<MotorCommand, MotorTelemetry> drive =
 *             rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
 *     DeviceChannel<NoCommand, VideoFrame> camera =
 *             rt.open(ChannelConfig.slow("cam0").build(), new SimulatedCamera());
 *     rt.every(LoopConfig.of("control", Duration.ofMillis(1)), cycle -> { ... });
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: every method may be called from any thread. No thread starts until a channel or loop
 * is opened; all come from the builder's {@link ThreadFactory}.
 */
public final class TwinlaneRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TwinlaneRuntime.class);

    private final Builder config;
    private final LaneThreads threads;
    private final CpuPlacement placement;
    private final ParallelScheduler fast;
    private final ConcurrentScheduler slow;
    private final Supervisor supervisor;
    private final MemoryBudget memory;
    private final Thread shutdownHook;
    private final List<ChannelCore<?, ?>> channels = new CopyOnWriteArrayList<>();
    private final List<DeadlineLoop> loops = new CopyOnWriteArrayList<>();
    private final ClosedChannels closedChannels = new ClosedChannels(ClosedChannels.KEPT);
    private final List<AutoCloseable> closeWith = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TwinlaneRuntime(Builder b) {
        io.github.twinlane.internal.LoggingHint.once();
        this.config = b;
        this.placement = CpuPlacement.apply(b.cpuPlan);
        this.threads = new LaneThreads(b.threadFactory, placement);
        long closeNanos = b.closeTimeout.toNanos();
        this.supervisor = new Supervisor(threads);
        this.memory = new MemoryBudget(b.memoryBudget);
        this.fast = new ParallelScheduler(b.parallel, threads, closeNanos, supervisor, memory);
        this.slow = new ConcurrentScheduler(b.concurrent, threads, closeNanos, supervisor, memory);
        // JVM shutdown closes the runtime, so armed watchdogs still write their safe commands
        this.shutdownHook = new Thread(this::close, "twinlane-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * A builder with the defaults: daemon platform threads, one slow-lane loop thread, a 2 s close
     * timeout, a 100 ms handler stall threshold and the default {@link CpuPlan}.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a device on the lane its configuration names. Returns at once: the device is opened on a
     * lane thread (so native threads it starts inherit that lane's CPU placement); watch
     * {@link DeviceChannel#state()} or a state listener for {@link ChannelState#OPEN}.
     *
     * @param config the channel's configuration
     * @param driver the device; one driver instance per channel
     * @param <C> command type
     * @param <T> data type
     * @return the channel
     * @throws IllegalStateException if the runtime is closed or the name is taken
     */
    public <C, T> DeviceChannel<C, T> open(ChannelConfig config, DeviceDriver<C, T> driver) {
        return open(config, driver, null);
    }

    /**
     * Opens a device with a handler subscribed before any lane thread starts, so the handler sees
     * the device's very first value. Otherwise as {@link #open(ChannelConfig, DeviceDriver)}.
     *
     * @param config the channel's configuration
     * @param driver the device; one driver instance per channel
     * @param handler the first handler, or null
     * @param <C> command type
     * @param <T> data type
     * @return the channel
     * @throws IllegalStateException if the runtime is closed or the name is taken
     */
    public synchronized <C, T> DeviceChannel<C, T> open(ChannelConfig config, DeviceDriver<C, T> driver,
                                                        DataHandler<T> handler) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(driver, "driver");
        ensureOpen();
        ensureNameFree(config.name());
        // in methods of their own: an iterator left in this frame would keep the closed channels' messages
        // reachable while the new channel's reservation asks the collector for their direct memory
        forgetClosedChannels();
        // both lanes alike: the channel's scheduler places its duty cycles
        ChannelCore<C, T> ch = config.lane() == Lane.FAST ? fast.place(config, driver) : slow.place(config, driver);
        if (handler != null) {
            ch.subscribe(handler);
        }
        ch.start();
        channels.add(ch);
        return ch;
    }

    /**
     * Starts a fixed-rate loop on its own fast-lane thread; the first deadline is one period from now.
     *
     * @param config the loop's configuration
     * @param task one cycle
     * @return the running loop
     */
    public PeriodicLoop every(LoopConfig config, LoopTask task) {
        return every(config, task, new DeviceChannel<?, ?>[0]);
    }

    private void ensureNameFree(String name) {
        for (ChannelCore<?, ?> ch : channels) {
            if (ch.name().equals(name) && ch.state() != ChannelState.CLOSED) {
                throw new IllegalStateException("a channel named '" + name
                        + "' is already open: give each channel its own name");
            }
        }
    }

    private void forgetClosedChannels() {
        for (ChannelCore<?, ?> c : channels) {
            if (c.state() == ChannelState.CLOSED) {
                closedChannels.add(c.stats()); // its final counters, not the channel: a closed channel holds nothing
                channels.remove(c);
            }
        }
    }

    /**
     * Starts a fixed-rate loop that drives channels placed {@link Placement#IN_LOOP}: each cycle, on the
     * loop's one thread, it reads every value each device has ready and runs the channels' handlers,
     * runs {@code task}, then writes the commands sent meanwhile. The loop opens (and reopens) the
     * devices between cycles. Closing the loop closes these channels.
     *
     * @param config the loop's configuration
     * @param task one cycle
     * @param channels channels this runtime opened with {@code placement(Placement.IN_LOOP)}, driven by no other loop
     * @return the running loop
     * @throws IllegalArgumentException naming the channel, if one is not from this runtime, not placed in a
     *     loop, closed, or given twice
     * @throws IllegalStateException if a channel is driven by another loop already
     */
    public synchronized PeriodicLoop every(LoopConfig config, LoopTask task, DeviceChannel<?, ?>... channels) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(channels, "channels");
        ensureOpen();
        List<FastChannel<?, ?>> driven = new ArrayList<>();
        for (DeviceChannel<?, ?> ch : channels) {
            if (ch instanceof FastChannel<?, ?> f && f.state() == ChannelState.CLOSED) {
                f.checkBindable(); // says it is closed
            }
            if (!(ch instanceof FastChannel<?, ?> f) || !this.channels.contains(f)) {
                throw new IllegalArgumentException("loop '" + config.name() + "' can drive only fast channels this runtime "
                        + "opened, was " + (ch == null ? "null" : "'" + ch.name() + "' (" + ch.lane() + " lane or another runtime's)"));
            }
            if (driven.contains(f)) {
                throw new IllegalArgumentException("channel '" + f.name() + "' was given twice to loop '" + config.name() + "'");
            }
            driven.add(f);
        }
        DeadlineLoop loop = fast.every(config, task, driven);
        loops.add(loop);
        return loop;
    }

    /**
     * Starts a fixed-rate loop as {@link LoopConfig#of}: an adaptive spin lead (spinning only on the CPU
     * plan's reserved core), no catch-up.
     *
     * @param period the period, 10 us to 1 h
     * @param name the loop's name
     * @param task one cycle
     * @return the running loop
     */
    public PeriodicLoop every(Duration period, String name, LoopTask task) {
        return every(LoopConfig.of(name, period), task);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this TwinlaneRuntime is closed: build a new one");
        }
    }

    /**
     * Ties a resource's life to this runtime: {@link #close()} closes it after every loop and channel
     * has stopped, newest first. For things channels depend on, such as a messaging client that
     * bridge channels read from. An exception from its close is logged, never thrown.
     *
     * @param resource closed once, by {@link #close()}
     * @throws IllegalStateException if the runtime is already closed
     */
    public synchronized void closeWith(AutoCloseable resource) {
        Objects.requireNonNull(resource, "resource");
        ensureOpen();
        closeWith.add(0, resource);
    }

    /**
     * Statistics of every open channel, and of the {@value ClosedChannels#KEPT} most recently closed ones
     * (their final counters, state CLOSED), the closed ones first, each group in opening order. Closed
     * channels stay listed until the runtime closes, so a device that went away is still in the summary that explains why; past
     * {@value ClosedChannels#KEPT} the oldest closed ones are forgotten.
     *
     * <p>Any thread; allocates the snapshots.
     *
     * @return snapshots
     */
    public List<ChannelStats> channelStats() {
        List<ChannelStats> out = new ArrayList<>(closedChannels.snapshot());
        for (ChannelCore<?, ?> ch : channels) {
            out.add(ch.stats());
        }
        return out;
    }

    /**
     * Statistics of every loop started.
     *
     * @return snapshots; allocates
     */
    public List<LoopStats> loopStats() {
        List<LoopStats> out = new ArrayList<>();
        for (DeadlineLoop l : loops) {
            out.add(l.stats());
        }
        return out;
    }

    /**
     * A human-readable summary: the CPU plan, then one line per loop and channel.
     *
     * @return the text; allocates
     */
    public String summary() {
        return placement.report() + System.lineSeparator() + Summary.render(loopStats(), channelStats(),
                memory.heapBytes(), memory.directBytes(), memory.budgetBytes());
    }

    /**
     * What the CPU plan did: cores per lane, priorities, and what the OS refused.
     *
     * @return the report
     */
    public CpuPlanReport cpuPlan() {
        return placement.report();
    }

    /**
     * Threads this runtime started that are still alive (after close: none, unless a driver's read
     * ignored its close).
     *
     * @return live threads
     */
    public List<Thread> liveThreads() {
        return threads.alive();
    }

    /**
     * Stops every loop, closes every channel and stops every thread, within the close timeout even
     * when a driver read is stuck. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + config.closeTimeout.toNanos();
        List<Thread> stuck = new ArrayList<>();
        // every channel's safe command first, all at once, before any loop is stopped: one stuck device must
        // not use up the others' time, and a loop's thread interrupted mid-read must not close a device (an
        // interruptible channel does) before its safe command is written
        for (ChannelCore<?, ?> ch : channels) {
            step(() -> ch.beginClose(), "asking channel '" + ch.name() + "' for its safe command");
        }
        long safeBy = ChannelCore.safeCommandsBy(deadline);
        for (ChannelCore<?, ?> ch : channels) {
            step(() -> ch.awaitSafeAtClose(safeBy), "waiting for the safe command of channel '" + ch.name() + "'");
        }
        for (DeadlineLoop l : loops) {
            step(() -> stuck.addAll(l.stop(deadline)), "stopping loop '" + l.name() + "'");
        }
        // every device closed (which unblocks stuck reads and writes) before any channel's threads are waited for
        for (ChannelCore<?, ?> ch : channels) {
            step(() -> ch.closeDevice(deadline), "closing the device of channel '" + ch.name() + "'");
        }
        for (ChannelCore<?, ?> ch : channels) {
            step(() -> stuck.addAll(ch.stopThreadsBy(deadline)), "stopping the threads of channel '" + ch.name() + "'");
        }
        step(() -> stuck.addAll(slow.stop(deadline)), "stopping the slow lane");
        step(() -> stuck.addAll(supervisor.stop(deadline)), "stopping the supervisor");
        for (AutoCloseable r : closeWith) {
            step(() -> {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "closing " + r);
        }
        step(placement::restore, "giving every thread its CPUs back");
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs close() again, which returns at once
            }
        }
        if (!stuck.isEmpty()) {
            LOG.error("TwinlaneRuntime closed with {} thread(s) still running after {}: {}", stuck.size(),
                    Durations.human(config.closeTimeout), stuck);
        }
    }

    /** One step of close: what it throws is logged, and close goes on with the next (every device gets its turn). */
    private static void step(Runnable action, String what) {
        try {
            action.run();
        } catch (Throwable t) {
            LOG.error("TwinlaneRuntime.close: {} failed; closing goes on", what, t);
        }
    }

    /** The number of slow-lane loop threads this runtime was built with. Any thread; never blocks. */
    public int slowLoopThreads() {
        return slow.config().loopThreads();
    }

    /** The fast lane's scheduler: its configuration and its live threads. Any thread. */
    public ParallelScheduler parallelScheduler() {
        return fast;
    }

    /** The slow lane's scheduler: its configuration and its live threads. Any thread. */
    public ConcurrentScheduler concurrentScheduler() {
        return slow;
    }

    /** How long {@link #close()} waits for each lane's threads, as built. Any thread; never blocks. */
    public Duration closeTimeout() {
        return config.closeTimeout;
    }

    /** How long a slow-lane handler may hold the loop before it is logged and counted, as built. */
    public Duration stallThreshold() {
        return slow.config().stallThreshold();
    }

    /** Builds a {@link TwinlaneRuntime}; {@link #build()} checks every value. */
    public static final class Builder {
        private ThreadFactory threadFactory;
        private Integer slowLoopThreads;
        private Duration closeTimeout = Duration.ofSeconds(2);
        private Duration stallThreshold;
        private CpuPlan cpuPlan = CpuPlan.DEFAULT;
        private ParallelScheduler.Config parallel = ParallelScheduler.Config.DEFAULT;
        private ConcurrentScheduler.Config concurrent = ConcurrentScheduler.Config.DEFAULT;
        private long memoryBudget;

        private Builder() {
        }

        /**
         * A bound on what every channel and tap of the runtime may preallocate, heap and direct together
         * (see {@link ChannelConfig#maxBytes()} and {@link TapConfig#maxBytes()}): opening a channel or making
         * a tap that would pass it is refused with an {@link IllegalStateException} naming what it would
         * take. Without one (the default), the JVM's own limits still apply: the direct-memory limit
         * ({@code -XX:MaxDirectMemorySize}) and half the maximum heap.
         *
         * @param bytes 0 for none, or at least 1 MiB
         * @return this
         */
        public Builder memoryBudget(long bytes) {
            this.memoryBudget = bytes;
            return this;
        }

        /**
         * Where each lane runs on the CPU. Applied when the runtime is built: from then on every thread
         * of the process other than the fast lane's runs off the fast lane's CPUs, until close.
         * Use one runtime with a plan per process.
         *
         * @param plan the plan; {@link CpuPlan#OFF} to pin nothing
         * @return this
         */
        public Builder cpuPlan(CpuPlan plan) {
            this.cpuPlan = plan;
            return this;
        }

        /**
         * Where every thread comes from. twinlane names each thread after its lane, device and role.
         *
         * @param factory the factory; null for daemon platform threads
         * @return this
         */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /**
         * How the fast lane's scheduler runs its duty cycles.
         *
         * @param config the configuration ({@link ParallelScheduler.Config#DEFAULT} by default)
         * @return this
         */
        public Builder parallel(ParallelScheduler.Config config) {
            this.parallel = config;
            return this;
        }

        /**
         * How the slow lane's scheduler runs its channels: loop threads, stall threshold, idle park.
         *
         * @param config the configuration ({@link ConcurrentScheduler.Config#DEFAULT} by default)
         * @return this
         */
        public Builder concurrent(ConcurrentScheduler.Config config) {
            this.concurrent = config;
            return this;
        }

        /**
         * Loop threads on the slow lane: a shortcut for {@link #concurrent}'s {@code loopThreads}, and
         * applied over it.
         *
         * @param count 1 to 64
         * @return this
         */
        public Builder slowLoopThreads(int count) {
            this.slowLoopThreads = count;
            return this;
        }

        /**
         * How long {@link TwinlaneRuntime#close()} may take.
         *
         * @param timeout 10 ms to 60 s
         * @return this
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * How long a slow-lane handler may hold a loop thread before it is logged and counted: a shortcut
         * for {@link #concurrent}'s {@code stallThreshold}, and applied over it.
         *
         * @param threshold 1 ms to 60 s
         * @return this
         */
        public Builder stallThreshold(Duration threshold) {
            this.stallThreshold = threshold;
            return this;
        }

        /**
         * Builds the runtime and applies its CPU plan. Starts no thread.
         *
         * @return the runtime
         * @throws IllegalArgumentException naming the first invalid value and its allowed range, or a
         *     CPU plan naming CPUs this process cannot use
         */
        public TwinlaneRuntime build() {
            ConcurrentScheduler.Config slow = io.github.twinlane.spi.Require.notNull(concurrent, "concurrent",
                    "a ConcurrentScheduler.Config (ConcurrentScheduler.Config.DEFAULT)");
            if (slowLoopThreads != null) {
                slow = slow.withLoopThreads(slowLoopThreads);
            }
            if (stallThreshold != null) {
                slow = slow.withStallThreshold(stallThreshold);
            }
            if (closeTimeout == null || closeTimeout.toMillis() < 10 || closeTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("closeTimeout must be from 10 ms to 60 s, was " + Durations.human(closeTimeout));
            }
            if (memoryBudget != 0 && memoryBudget < (1L << 20)) {
                throw new IllegalArgumentException("memoryBudget must be 0 (none) or at least 1 MiB, was " + memoryBudget);
            }
            Builder copy = new Builder();
            copy.memoryBudget = memoryBudget;
            copy.threadFactory = threadFactory;
            copy.concurrent = slow;
            copy.parallel = io.github.twinlane.spi.Require.notNull(parallel, "parallel",
                    "a ParallelScheduler.Config (ParallelScheduler.Config.DEFAULT)");
            copy.closeTimeout = closeTimeout;
            copy.cpuPlan = io.github.twinlane.spi.Require.notNull(cpuPlan, "cpuPlan", "set (CpuPlan.OFF to pin nothing)");
            return new TwinlaneRuntime(copy);
        }
    }
}
