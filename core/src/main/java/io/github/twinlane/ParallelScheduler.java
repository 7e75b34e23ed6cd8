package io.github.twinlane;

import io.github.twinlane.internal.ChannelCore;
import io.github.twinlane.internal.DeadlineLoop;
import io.github.twinlane.internal.FastChannel;
import io.github.twinlane.internal.LaneThreads;
import io.github.twinlane.internal.Supervisor;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.List;

/**
 * The {@link Lane#FAST} lane's scheduler: parallelism. Every fast channel and every periodic loop
 * gets threads of its own, which run side by side on the cores the {@link CpuPlan} reserves for this
 * lane, so nothing else in the process can hold them up.
 *
 * <p><b>What runs where.</b> A fast channel has three duty cycles: the <em>reader</em> reads the
 * device straight into the inbound Disruptor ring, the <em>dispatcher</em> runs the channel's handlers,
 * the <em>writer</em> takes commands off the outbound ring and writes them. Where they run is the
 * channel's {@link Placement}:
 * <ul>
 *   <li>{@link Placement#SCHEDULER} (the default): each on a platform thread of its own; the
 *       dispatcher and writer wait on their ring's {@link WaitMode}.</li>
 *   <li>{@link Placement#IN_LOOP}: on the thread of the periodic loop that drives the channel
 *       ({@link TwinlaneRuntime#every(LoopConfig, LoopTask, DeviceChannel...)}), which each cycle reads
 *       the device and runs the handlers, runs its task, then writes the commands: no hand-off between
 *       threads and no thread of the channel's own. The driver must read without blocking.</li>
 * </ul>
 * A periodic loop ({@link TwinlaneRuntime#every}) runs its task on one thread at each deadline. The
 * runtime's supervisor (watchdogs, stale inputs) is one more thread on this lane.
 *
 * <p><b>What may block.</b> The reader may block in the driver's read (that is what it is for), except
 * in a loop; a handler and a loop task should not, since the next value or deadline waits for them. A driver that
 * never blocks is polled, backing off from {@link Config#readerMinPark()} to
 * {@link Config#readerMaxPark()} while it has nothing.
 *
 * <p><b>What it costs.</b> Three threads per channel placed by the scheduler, none for one placed in
 * a loop, one per loop, plus the supervisor: a robot with two drives and one control loop has eight,
 * or two with both drives in the loop. They wait by blocking or backing off unless a
 * channel's {@link WaitMode} asks for spinning, and at most one thread should spin per reserved core.
 * The one default exception: the runtime's first {@link LoopConfig#ADAPTIVE} loop spins the last stretch
 * before each deadline on the CPU plan's reserved core (a lead learned from the OS's wake-up delay, at
 * most a quarter of its period, 250 µs); later loops park.
 *
 * <p>Configured through {@link TwinlaneRuntime.Builder#parallel(Config)}; read back with
 * {@link TwinlaneRuntime#parallelScheduler()}. Thread-safe.
 */
public final class ParallelScheduler {
    private final Config config;
    private final LaneThreads threads;
    private final long closeTimeoutNanos;
    private final Supervisor supervisor;
    private final io.github.twinlane.internal.MemoryBudget budget;
    private final java.util.concurrent.atomic.AtomicReference<DeadlineLoop> spinner =
            new java.util.concurrent.atomic.AtomicReference<>();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.github.twinlane.loop");

    ParallelScheduler(Config config, LaneThreads threads, long closeTimeoutNanos, Supervisor supervisor,
                        io.github.twinlane.internal.MemoryBudget budget) {
        this.budget = budget;
        this.config = config;
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.supervisor = supervisor;
    }

    /**
     * How the parallel scheduler runs its duty cycles.
     *
     * @param readerMinPark the first park of a reader whose non-blocking device had nothing, 1 µs to 1 s
     * @param readerMaxPark the longest such park, from {@code readerMinPark} to 1 s
     */
    public record Config(Duration readerMinPark, Duration readerMaxPark) {
        /** The default: a polling reader parks from 10 µs, doubling to 1 ms. */
        public static final Config DEFAULT = new Config(Duration.ofNanos(10_000), Duration.ofMillis(1));

        /**
         * Validates both values.
         *
         * @throws IllegalArgumentException naming the field, its range and the value given
         */
        public Config {
            if (readerMinPark == null || readerMinPark.toNanos() < 1_000 || readerMinPark.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("readerMinPark must be from 1 µs to 1 s, was "
                        + Durations.human(readerMinPark));
            }
            if (readerMaxPark == null || readerMaxPark.compareTo(readerMinPark) < 0
                    || readerMaxPark.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("readerMaxPark must be from readerMinPark ("
                        + Durations.human(readerMinPark) + ") to 1 s, was " + Durations.human(readerMaxPark));
            }
        }
    }

    /** The lane it runs: {@link Lane#FAST}. */
    public Lane lane() {
        return Lane.FAST;
    }

    /** Its configuration. */
    public Config config() {
        return config;
    }

    /** Live threads of this lane (channels' readers, dispatchers, writers, loops, the supervisor). Allocates. */
    public List<Thread> threads() {
        return threads.alive(Lane.FAST);
    }

    <C, T> ChannelCore<C, T> place(ChannelConfig channel, DeviceDriver<C, T> driver) {
        return new FastChannel<>(channel, driver, threads, closeTimeoutNanos, supervisor,
                io.github.twinlane.cycle.BackoffIdleStrategy.of(0, 10, config.readerMinPark(), config.readerMaxPark()), budget);
    }

    DeadlineLoop every(LoopConfig loop, LoopTask task, List<FastChannel<?, ?>> driven) {
        for (FastChannel<?, ?> ch : driven) {
            ch.checkBindable();
        }
        for (FastChannel<?, ?> ch : driven) {
            ch.bindTo(loop.name());
        }
        // at most one spinning thread on the reserved core: the first adaptive loop learns a lead, later ones park
        boolean maySpin = loop.adaptiveSpin() && spinner.get() == null;
        DeadlineLoop l = new DeadlineLoop(loop, task, threads, closeTimeoutNanos, driven, maySpin);
        if (l.spins()) {
            spinner.set(l);
        } else if (loop.adaptiveSpin() && spinner.get() != null && threads.placement().reservesFastCore()) {
            LOG.info("Loop '{}' parks without spinning: loop '{}' already spins on the fast lane's reserved core, and "
                    + "one spinning thread per core is the most it takes", loop.name(), spinner.get().name());
        }
        l.start();
        return l;
    }

    @Override
    public String toString() {
        return "ParallelScheduler[FAST lane, " + threads().size() + " threads, reader parks "
                + Durations.human(config.readerMinPark()) + " to " + Durations.human(config.readerMaxPark()) + "]";
    }
}
