package io.github.twinlane;

import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.internal.ChannelCore;
import io.github.twinlane.internal.ChannelTap;
import io.github.twinlane.internal.LaneThreads;
import io.github.twinlane.internal.LoopGroup;
import io.github.twinlane.internal.SlowChannel;
import io.github.twinlane.internal.Supervisor;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.Require;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketSource;
import java.time.Duration;
import java.util.List;

/**
 * The {@link Lane#SLOW} lane's scheduler: concurrency. Many slow devices take turns on a few loop
 * threads ({@link Config#loopThreads()}, default one), off the fast lane's cores.
 *
 * <p><b>What runs where.</b> Each slow channel is pinned to one loop thread (the least loaded when it
 * opens), which runs its handlers, and polls and writes its device when the driver never blocks. A
 * driver whose reads block (a camera grab waits a whole frame interval) also gets one I/O thread of
 * its own that reads into the channel's ring, newest value winning by default, and writes queued
 * commands between reads; the loop thread itself never blocks on a device.
 *
 * <p><b>What may block.</b> Handlers share their loop thread with every other channel on it: one that
 * holds it longer than {@link Config#stallThreshold()} is logged (at most every 10 s) and counted in
 * its channel's stalls. Move heavy work to your own executor, or add loop threads.
 *
 * <p><b>What it costs.</b> {@link Config#loopThreads()} threads, started with the first slow channel,
 * plus one per blocking device. An idle loop parks up to {@link Config#idlePark()} (reopen timers);
 * a device's reader or a sender wakes it at once.
 *
 * <p>Configured through {@link TwinlaneRuntime.Builder#concurrent(Config)}; read back with
 * {@link TwinlaneRuntime#concurrentScheduler()}. Thread-safe.
 */
public final class ConcurrentScheduler {
    private final Config config;
    private final LaneThreads threads;
    private final long closeTimeoutNanos;
    private final Supervisor supervisor;
    private final io.github.twinlane.internal.MemoryBudget budget;
    private final LoopGroup loops;
    private final List<DutyCycleRunner> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<ChannelTap<?>> packetTaps =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    ConcurrentScheduler(Config config, LaneThreads threads, long closeTimeoutNanos, Supervisor supervisor,
                        io.github.twinlane.internal.MemoryBudget budget) {
        this.budget = budget;
        this.config = config;
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.supervisor = supervisor;
        this.loops = new LoopGroup(config.loopThreads(), config.idlePark(), threads);
    }

    /**
     * How the concurrent scheduler runs its channels.
     *
     * @param loopThreads how many loop threads take turns running slow channels, 1 to 64
     * @param stallThreshold a handler holding its loop longer than this is logged and counted, 1 ms to 60 s
     * @param idlePark the longest park of a loop with nothing to do, 100 µs to 100 ms
     */
    public record Config(int loopThreads, Duration stallThreshold, Duration idlePark) {
        /** The default: one loop thread, stalls over 100 ms reported, idle parks of 10 ms. */
        public static final Config DEFAULT = new Config(1, Duration.ofMillis(100), Duration.ofMillis(10));

        /**
         * Validates every value.
         *
         * @throws IllegalArgumentException naming the field, its range and the value given
         */
        public Config {
            if (loopThreads < 1 || loopThreads > 64) {
                throw new IllegalArgumentException("slowLoopThreads must be from 1 to 64, was " + loopThreads);
            }
            if (stallThreshold == null || stallThreshold.toMillis() < 1 || stallThreshold.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("stallThreshold must be from 1 ms to 60 s, was "
                        + Durations.human(stallThreshold));
            }
            if (idlePark == null || idlePark.toNanos() < 100_000 || idlePark.compareTo(Duration.ofMillis(100)) > 0) {
                throw new IllegalArgumentException("idlePark must be from 100 µs to 100 ms, was " + Durations.human(idlePark));
            }
        }

        /** This configuration with another number of loop threads. */
        public Config withLoopThreads(int count) {
            return new Config(count, stallThreshold, idlePark);
        }

        /** This configuration with another stall threshold. */
        public Config withStallThreshold(Duration threshold) {
            return new Config(loopThreads, threshold, idlePark);
        }

        /** This configuration with another idle park. */
        public Config withIdlePark(Duration park) {
            return new Config(loopThreads, stallThreshold, park);
        }
    }

    /** The lane it runs: {@link Lane#SLOW}. */
    public Lane lane() {
        return Lane.SLOW;
    }

    /** Its configuration. */
    public Config config() {
        return config;
    }

    /** Live threads of this lane (loop threads and blocking devices' I/O threads). Allocates. */
    public List<Thread> threads() {
        return threads.alive(Lane.SLOW);
    }

    /**
     * Runs a service of your own on the slow lane: a duty cycle on a thread of its own, named
     * {@code twinlane-slow-<name>-<role>}, from the runtime's thread factory and placed on the slow
     * lane's CPUs like every slow-lane thread, stopped and interrupted when the runtime closes (within
     * its close timeout). For work that must not run on the thread that asks for it: a black box
     * writing its file when a watchdog trips, a server for live viewers. Stop it earlier with
     * {@link DutyCycleRunner#stop()} and {@link DutyCycleRunner#join}.
     *
     * @param name what it serves, for example {@code blackbox}
     * @param role what the thread does, for example {@code writer}
     * @param cycle the work; an exception it throws is logged and counted, never ends the thread
     * @param idle how it waits when {@code doWork} did nothing ({@link DutyCycleRunner#wake()} ends a park early)
     * @return the running runner
     * @throws IllegalStateException if the runtime is closed
     */
    public DutyCycleRunner run(String name, String role, DutyCycle cycle, IdleStrategy idle) {
        synchronized (services) {
            if (stopped) {
                throw new IllegalStateException("the runtime is closed: no new service '" + name + "' on its slow lane");
            }
            DutyCycleRunner r = threads.run(Lane.SLOW, name, role, cycle, idle);
            services.add(r);
            return r;
        }
    }

    /**
     * Observes a camera's compressed packets through a tap (see {@link Tap}): the camera's reader only
     * copies each packet into the tap's bounded ring, never waiting; a thread of this lane
     * ({@code twinlane-slow-<source>-tap-<name>}) hands them to {@code consumer}, stamped with their read
     * time. A consumer that falls behind loses packets by the tap's policy, counted in its stats. The tap
     * closes when closed or when the runtime closes.
     *
     * @param source the camera (a driver that implements {@link PacketSource})
     * @param config the tap's ring; its slots start at 64 KiB each and each grows once to the
     *     largest packet it holds (a 1080p JPEG is 100 to 500 KiB): a few slots are enough, e.g. 8
     * @param consumer called on the tap's thread with a reused packet, valid only during the call
     * @return the tap
     * @throws IllegalStateException if the runtime is closed
     */
    public Tap tapPackets(PacketSource source, TapConfig config,
                          DataHandler<EncodedPacket> consumer) {
        Require.notNull(source, "source", "a camera driver that hands out its packets");
        Require.notNull(config, "config", "a TapConfig (TapConfig.of(name))");
        Require.notNull(consumer, "consumer", "a handler for the packets");
        synchronized (services) {
            if (stopped) {
                throw new IllegalStateException("the runtime is closed: no new packet tap '" + config.name() + "'");
            }
            Subscription[] hook = new Subscription[1];
            List<ChannelTap<?>> self = new java.util.ArrayList<>(1);
            ChannelTap<EncodedPacket> tap = ChannelTap.start(threads, budget, source.describe(), config,
                    EncodedPacket.type(64 * 1024), consumer, () -> {
                        Subscription s = hook[0];
                        if (s != null) {
                            s.close(); // the source stops copying before the thread ends
                        }
                        packetTaps.remove(self.get(0));
                    });
            self.add(tap);
            try {
                hook[0] = source.onPacket(p -> tap.offer(p, p.captureNanos()));
            } catch (RuntimeException e) {
                tap.close();
                throw e;
            }
            packetTaps.add(tap);
            return tap;
        }
    }

    /**
     * A thread factory for a library that runs its own event loop on this lane (the Foxglove server's
     * Netty loop): its threads come from the runtime's {@link java.util.concurrent.ThreadFactory}, run on
     * this lane's CPUs, are named {@code twinlane-slow-<owner>-<role>-<n>} and are listed in
     * {@link TwinlaneRuntime#liveThreads()}. The library starts them and must stop them (close it with
     * the runtime: {@link TwinlaneRuntime#closeWith}). Prefer {@link #run} for loops of your own.
     *
     * @param owner the library's instance name, e.g. {@code foxglove}
     * @param role what the threads do, e.g. {@code io}
     * @return the factory; thread-safe
     */
    public java.util.concurrent.ThreadFactory threadFactory(String owner, String role) {
        Require.notNull(owner, "owner", "a name for the threads");
        Require.notNull(role, "role", "what the threads do");
        return threads.factory(Lane.SLOW, owner, role);
    }

    <C, T> ChannelCore<C, T> place(ChannelConfig channel, DeviceDriver<C, T> driver) {
        return new SlowChannel<>(channel, driver, threads, closeTimeoutNanos, loops.leastLoaded(),
                config.stallThreshold().toNanos(), supervisor, budget);
    }

    List<Thread> stop(long deadlineNanos) {
        synchronized (services) {
            stopped = true;
        }
        List<Thread> stuck = new java.util.ArrayList<>();
        for (ChannelTap<?> tap : packetTaps) {
            stuck.addAll(tap.stop(deadlineNanos));
        }
        stuck.addAll(threads.stop(services, true, deadlineNanos));
        stuck.addAll(loops.stop(deadlineNanos));
        return stuck;
    }

    @Override
    public String toString() {
        return "ConcurrentScheduler[SLOW lane, " + config.loopThreads() + " loop thread(s), " + threads().size()
                + " threads live, stall threshold " + Durations.human(config.stallThreshold()) + "]";
    }
}
