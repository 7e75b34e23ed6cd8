package io.github.twinlane.internal;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.Lane;
import io.github.twinlane.Placement;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.IdleStrategy;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A channel on the parallel lane: three duty cycles. The <em>reader</em> reads the device straight
 * into inbound ring slots; the <em>dispatcher</em> polls the inbound ring and runs the handlers; the
 * <em>writer</em> polls the outbound ring and writes the commands. Nothing is allocated per message.
 *
 * <p>Placed {@link Placement#SCHEDULER} (the default), each runs on a {@link DutyCycleRunner} of its
 * own; the dispatcher and writer wait on their ring's Disruptor wait strategy ({@link RingWaitIdle}).
 * Placed {@link Placement#IN_LOOP}, the channel starts no thread: the {@link DeadlineLoop} it is
 * bound to calls {@link #readIn()} before its task and {@link #writeOut()} after it.
 *
 * @param <C> command type
 * @param <T> data type
 */
public final class FastChannel<C, T> extends ChannelCore<C, T> {
    private final IdleStrategy pollingIdle;
    private final int batch;
    private final RingWaitIdle dispatchWait;
    private final RingWaitIdle writeWait;
    private volatile List<DutyCycleRunner> runners = List.of();
    private final AtomicReference<String> drivingLoop = new AtomicReference<>();

    /**
     * Creates the channel; {@link #start()} starts its threads.
     *
     * @param config the configuration
     * @param driver the device
     * @param threads the thread source
     * @param closeTimeoutNanos the close bound
     * @param supervisor checks watchdogs and stale inputs
     * @param pollingIdle how the reader waits between empty polls of a driver that never blocks
     * @param budget the runtime's memory budget
     * @throws IllegalArgumentException if placed in a loop with a driver whose read blocks
     */
    public FastChannel(ChannelConfig config, DeviceDriver<C, T> driver, LaneThreads threads, long closeTimeoutNanos,
                       Supervisor supervisor, IdleStrategy pollingIdle, MemoryBudget budget) {
        super(placeable(config, driver), driver, threads, closeTimeoutNanos, true, supervisor, budget);
        this.pollingIdle = pollingIdle;
        this.batch = config.capacity();
        inbound.enablePolling();
        outbound.enablePolling();
        boolean own = config.placement() == Placement.SCHEDULER;
        this.dispatchWait = own ? inbound.consumerWait() : null;
        this.writeWait = own ? outbound.consumerWait() : null;
    }

    /** The config, if the driver can be placed as it asks (checked before anything is reserved or allocated). */
    private static ChannelConfig placeable(ChannelConfig config, DeviceDriver<?, ?> driver) {
        if (config.placement() == Placement.IN_LOOP && driver.readMode() != ReadMode.NON_BLOCKING) {
            throw new IllegalArgumentException("channel '" + config.name() + "' is placed IN_LOOP, but its driver "
                    + driver.describe() + " reads " + driver.readMode() + ": a loop's thread must never wait on a "
                    + "device. Use a driver that reads NON_BLOCKING (for example SerialPortDriver.nonBlocking, "
                    + "SimulatedMotorDrive.nonBlocking) or Placement.SCHEDULER");
        }
        return config;
    }

    /** Starts the dispatcher, writer and reader; the reader opens the device. In a loop: nothing. */
    @Override
    public void start() {
        startStops();
        if (config.placement() == Placement.IN_LOOP) {
            return; // the loop that drives it opens and reads the device
        }
        boolean polling = driver.readMode() == ReadMode.NON_BLOCKING;
        runners = List.of(
                threads.run(Lane.FAST, name(), "dispatch", () -> inbound.poll(batch), dispatchWait),
                threads.run(Lane.FAST, name(), "writer", () -> writeCommands(batch), writeWait),
                threads.run(Lane.FAST, name(), "reader", () -> closing ? 0 : pollDevice(System.nanoTime()),
                        readerIdle(polling ? pollingIdle : null)));
    }

    /**
     * Checks that a loop may drive this channel, without binding it.
     *
     * @throws IllegalArgumentException if this channel is not placed in a loop, or is closed
     * @throws IllegalStateException if another loop drives it already
     */
    public void checkBindable() {
        if (config.placement() != Placement.IN_LOOP) {
            throw new IllegalArgumentException("channel '" + name() + "' runs on threads of its own (Placement."
                    + config.placement() + "): a loop can drive only a channel built with placement(Placement.IN_LOOP)");
        }
        if (closing) {
            throw new IllegalArgumentException("channel '" + name() + "' is closed: open it again before a loop drives it");
        }
        String other = drivingLoop.get();
        if (other != null) {
            throw new IllegalStateException("channel '" + name() + "' is driven by loop '" + other
                    + "' already: one loop drives a channel");
        }
    }

    /**
     * Binds this {@link Placement#IN_LOOP} channel to the loop that will drive it. Once.
     *
     * @param loop the loop's name
     * @throws IllegalArgumentException if this channel is not placed in a loop, or is closed
     * @throws IllegalStateException if another loop drives it already
     */
    public void bindTo(String loop) {
        checkBindable();
        if (!drivingLoop.compareAndSet(null, loop)) {
            throw new IllegalStateException("channel '" + name() + "' is driven by loop '" + drivingLoop.get()
                    + "' already: one loop drives a channel");
        }
    }

    /**
     * The read half of a loop's cycle: opens the device when due, reads every value it has ready (up
     * to the ring's capacity) and runs the handlers on them. The driving loop's thread only.
     *
     * @return values read and handled
     */
    int readIn() {
        int n = 0;
        long now = System.nanoTime();
        while (n < batch && !closing && pollDevice(now) > 0) {
            n++;
        }
        return n + inbound.poll(batch);
    }

    /**
     * The write half of a loop's cycle: writes the commands sent since the last one. The driving
     * loop's thread only.
     *
     * @return commands taken off the ring
     */
    int writeOut() {
        return writeCommands(batch);
    }

    @Override
    protected List<Thread> stopThreads(long deadlineNanos) {
        if (config.placement() == Placement.IN_LOOP && drivingLoop.get() == null) {
            LOG.warn("Channel '{}' was placed IN_LOOP but no loop drove it, so its device was never opened: "
                    + "pass it to TwinlaneRuntime.every(config, task, channel)", name());
        }
        for (DutyCycleRunner r : runners) {
            r.stop();
        }
        if (dispatchWait != null) {
            dispatchWait.alert();
            writeWait.alert();
        }
        // interrupted too: a handler or a write blocked in sleep or I/O must not outlive close
        return threads.stop(runners, true, deadlineNanos);
    }
}
