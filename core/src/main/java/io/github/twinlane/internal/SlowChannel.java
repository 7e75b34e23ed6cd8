package io.github.twinlane.internal;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.Lane;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.List;

/**
 * A channel on the concurrent lane. Its handlers, and its reads and writes when the driver never
 * blocks, run on a shared loop thread of the {@link LoopGroup}. A driver whose reads block
 * gets one platform I/O thread that reads into the inbound pipe (newest value wins by default) and
 * writes queued commands between reads, so the loop thread itself never blocks.
 *
 * @param <C> command type
 * @param <T> data type
 */
public final class SlowChannel<C, T> extends ChannelCore<C, T> {
    private static final int BATCH = 64;
    private final LoopGroup.Loop loop;
    private final long stallThresholdNanos;
    private final boolean blocking;
    private volatile DutyCycleRunner io;
    private long lastStallLogNanos;
    private long stallsSinceLog;

    /**
     * Creates the channel; {@link #start()} attaches it to its loop.
     *
     * @param config the configuration
     * @param driver the device
     * @param threads the thread source
     * @param closeTimeoutNanos the close bound
     * @param loop the loop thread it shares
     * @param stallThresholdNanos handler calls longer than this are logged and counted
     * @param supervisor checks watchdogs and stale inputs
     * @param budget the runtime's memory budget
     */
    public SlowChannel(ChannelConfig config, DeviceDriver<C, T> driver, LaneThreads threads,
                       long closeTimeoutNanos, LoopGroup.Loop loop, long stallThresholdNanos,
                       Supervisor supervisor, MemoryBudget budget) {
        super(config, driver, threads, closeTimeoutNanos, true, supervisor, budget);
        this.loop = loop;
        this.stallThresholdNanos = stallThresholdNanos;
        this.blocking = driver.readMode() == ReadMode.BLOCKING;
        inbound.enablePolling();
        outbound.enablePolling();
    }

    /** Attaches to the loop and, for a blocking driver, starts its I/O thread (which opens it). */
    @Override
    public void start() {
        loop.add(this); // its stop thread starts with its watchdog or first emergency stop
        if (blocking) {
            io = threads.run(Lane.SLOW, name(), "reader", this::ioCycle, readerIdle(null));
        }
    }

    /**
     * One duty cycle on the loop thread: poll a non-blocking device, run handlers, write commands.
     *
     * @param nowNanos the time
     * @return work done; 0 when idle
     */
    int doWork(long nowNanos) {
        if (closing) {
            return 0;
        }
        int work = 0;
        if (!blocking) {
            for (int i = 0; i < BATCH && pollDevice(nowNanos) > 0; i++) {
                work++;
            }
            work += writeCommands(BATCH);
        }
        work += inbound.poll(BATCH);
        return work;
    }

    /** The I/O thread's duty cycle for a driver whose reads block: one read (it waits), then queued commands. */
    private int ioCycle() {
        if (closing) {
            return 0;
        }
        return pollDevice(System.nanoTime()) + writeCommands(BATCH);
    }

    @Override
    protected void dataQueued() {
        loop.wake();
    }

    @Override
    protected void commandQueued() {
        if (blocking) {
            DutyCycleRunner r = io;
            if (r != null) {
                r.wake();
            }
        } else {
            loop.wake();
        }
    }

    @Override
    protected void deliverData(T value, long stampNanos) {
        long start = System.nanoTime();
        super.deliverData(value, stampNanos);
        long took = System.nanoTime() - start;
        if (took > stallThresholdNanos) {
            counters.handlerStalls.incrementAndGet();
            stallsSinceLog++;
            if (lastStallLogNanos == 0 || start - lastStallLogNanos > 10_000_000_000L) {
                LOG.warn("Handlers of slow-lane channel '{}' held loop thread '{}' for {} (threshold {}; {} "
                        + "such stalls since the last warning). Every channel on this loop waited. Move "
                        + "heavy work to your own executor, or add loop threads (slowLoopThreads).", name(),
                        Thread.currentThread().getName(), LatencySummary.human(took),
                        LatencySummary.human(stallThresholdNanos), stallsSinceLog);
                lastStallLogNanos = start;
                stallsSinceLog = 0;
            }
        }
    }

    @Override
    protected List<Thread> stopThreads(long deadlineNanos) {
        loop.remove(this);
        return threads.stop(java.util.Collections.singletonList(io), true, deadlineNanos);
    }
}
