package io.github.twinlane.internal;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.DataHandler;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.Lane;
import io.github.twinlane.MessageType;
import io.github.twinlane.SendResult;
import io.github.twinlane.StateListener;
import io.github.twinlane.Subscription;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.DeviceDriver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both lanes' channels share: the two pipes, the latest value, the read and write paths, the
 * handlers and counters, with the state machine and reconnects in {@link ChannelLifecycle}, taps in
 * {@link TapSet} and safety in {@link SafetyGuard}. The lanes differ only in which threads call
 * {@link #pollDevice}, the pipes' consumers, and how they stop.
 *
 * @param <C> command type
 * @param <T> data type
 */
public abstract class ChannelCore<C, T> implements DeviceChannel<C, T> {
    /** The logger for all channels. */
    protected static final Logger LOG = LoggerFactory.getLogger("io.github.twinlane.channel");

    /** The configuration. */
    protected final ChannelConfig config;
    /** The device. */
    protected final DeviceDriver<C, T> driver;
    /** Device to handlers. */
    protected final Pipe<T> inbound;
    /** Senders to the device writer. */
    protected final Pipe<C> outbound;
    /** Where threads come from. */
    protected final LaneThreads threads;
    private final LatestValue<T> latest;
    private final long closeTimeoutNanos;
    /** Emergency stop, watchdog, stale-input interlock; every device write goes through it. */
    protected final SafetyGuard<C> safety;
    private final boolean recordLatency;
    private final Supervisor supervisor;

    private final ChannelLifecycle lifecycle;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final SnapshotArray<DataHandler<T>> handlers = new SnapshotArray<>(n -> new DataHandler[n]);
    private final TapSet<C, T> taps;

    /** Faults and latencies. */
    final ChannelCounters counters = new ChannelCounters();
    // each used by the one thread that delivers to the handlers, or the one that reads the device
    private final io.github.twinlane.spi.LogLimiter handlerErrorLog = new io.github.twinlane.spi.LogLimiter();
    private final io.github.twinlane.spi.LogLimiter corruptLog = new io.github.twinlane.spi.LogLimiter();

    /** Set once by close; every loop checks it. */
    protected volatile boolean closing;

    /**
     * Creates the channel's shared state. Threads are started by the lane.
     *
     * @param config the configuration
     * @param driver the device
     * @param threads the thread source
     * @param closeTimeoutNanos how long close may take
     * @param multiProducerCommands whether commands may come from many threads
     * @param supervisor checks watchdogs and stale inputs
     */
    protected ChannelCore(ChannelConfig config, DeviceDriver<C, T> driver, LaneThreads threads,
                          long closeTimeoutNanos, boolean multiProducerCommands, Supervisor supervisor) {
        this.config = config;
        this.driver = driver;
        this.threads = threads;
        this.closeTimeoutNanos = closeTimeoutNanos;
        this.supervisor = supervisor;
        this.safety = new SafetyGuard<>(config.name(), driver, config.maxDataAge());
        this.recordLatency = config.latencyRecording();
        long block = config.blockTimeout().toNanos();
        this.inbound = new Pipe<>(driver.dataType(), config.dataPolicy(), config.capacity(), block,
                config.dataWaitMode(), false);
        this.outbound = new Pipe<>(driver.commandType(), config.commandPolicy(), config.capacity(), block,
                config.commandWaitMode(), multiProducerCommands);
        this.latest = new LatestValue<>(driver.dataType());
        this.lifecycle = new ChannelLifecycle(config.name(), config, driver, LOG, counters.reconnects, counters.driverErrors,
                () -> closing, () -> threads.placement().deviceOpened(config.lane()));
        this.taps = new TapSet<>(config.name(), threads, driver.commandType(), driver.dataType());
        inbound.sink(this::deliverData);
        outbound.sink(this::writeCommand);
        driver.bind(() -> inbound.pending() == 0);
        if (!config.maxDataAge().isZero()) {
            supervisor.watch(this);
        }
    }

    // ------------------------------------------------------------------ application side

    @Override
    public MessageType<T> dataType() {
        return driver.dataType();
    }

    @Override
    public MessageType<C> commandType() {
        return driver.commandType();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Lane lane() {
        return config.lane();
    }

    @Override
    public SendResult send(C command) {
        ChannelState s = lifecycle.state();
        // the send time serves the latency histogram and the watchdog; with neither, no clock read (and no
        // feed: arming the watchdog sets its own start, so a send racing it cannot feed it a time of 0)
        long now = 0;
        if (recordLatency || safety.armed()) {
            now = System.nanoTime();
            safety.feed(now);
        }
        if (s != ChannelState.OPEN) {
            outbound.reject();
            return s.isTerminal() ? SendResult.REJECTED_CLOSED : SendResult.DROPPED_NOT_OPEN;
        }
        if (safety.latched()) {
            outbound.reject();
            safety.countStopped();
            return SendResult.REJECTED_EMERGENCY_STOP;
        }
        SendResult r = outbound.offer(command, now);
        commandQueued();
        return r;
    }

    @Override
    public boolean emergencyStop(C stopCommand) {
        safety.latch();
        if (lifecycle.state() != ChannelState.OPEN) {
            LOG.error("Channel '{}': emergency stop latched, but {} is {}: nothing could be written to it", name(),
                    driver.describe(), lifecycle.state());
            safety.tell(io.github.twinlane.SafetyEvent.EMERGENCY_STOP, "latched, but " + driver.describe() + " is "
                    + lifecycle.state() + ": nothing could be written to it");
            return false;
        }
        try {
            safety.emergencyStop(stopCommand);
            return true;
        } catch (Throwable t) {
            LOG.error("Channel '{}': emergency stop failed to write to {}: {}", name(), driver.describe(), t.toString());
            deviceLost(t);
            return false;
        }
    }

    @Override
    public void releaseEmergencyStop() {
        safety.release();
    }

    @Override
    public void watchdog(java.time.Duration feedTimeout, java.util.function.Consumer<C> safeCommand) {
        java.util.Objects.requireNonNull(safeCommand, "safeCommand must fill the command to send, was null");
        safety.arm(feedTimeout, safeCommand);
        supervisor.watch(this);
    }

    @Override
    public boolean fresh() {
        return safety.fresh(System.nanoTime(), latest.stampNanos());
    }

    @Override
    public Subscription onSafetyEvent(io.github.twinlane.SafetyListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        safety.safetyListeners().add(listener, false);
        return () -> safety.safetyListeners().remove(listener);
    }

    @Override
    public Subscription onFreshness(io.github.twinlane.FreshnessListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        safety.freshnessListeners().add(listener);
        return () -> safety.freshnessListeners().remove(listener);
    }

    /**
     * The supervisor's check of this channel's watchdog and inputs.
     *
     * @param nowNanos the time
     * @return the interval this channel wants to be checked at, 0 for none
     */
    long supervise(long nowNanos) {
        if (closing) {
            return 0;
        }
        if (safety.check(nowNanos, lifecycle.state() == ChannelState.OPEN, latest.stampNanos())) {
            boolean written = safety.writeSafe("no command for longer than the watchdog's feed timeout: the control "
                    + "loop stalled?");
            safety.tell(io.github.twinlane.SafetyEvent.WATCHDOG_TRIPPED, "no command for longer than the feed timeout; "
                    + (written ? "the safe command was written" : "the safe command could not be written"));
        }
        return safety.checkIntervalNanos();
    }

    /** Called after a command was queued; the slow lane wakes its loop. */
    protected void commandQueued() {
    }

    @Override
    public Subscription subscribe(DataHandler<T> handler) {
        if (handler == null) {
            throw new NullPointerException("handler must not be null");
        }
        handlers.add(handler, false);
        return () -> handlers.remove(handler);
    }

    @Override
    public Tap tapData(TapConfig config, DataHandler<T> consumer) {
        return taps.tapData(config, consumer);
    }

    @Override
    public Tap tapCommands(TapConfig config, DataHandler<C> consumer) {
        return taps.tapCommands(config, consumer);
    }

    @Override
    public boolean latest(T into) {
        return latest.get(into) >= 0;
    }

    @Override
    public long latestNanos() {
        return latest.stampNanos();
    }

    @Override
    public ChannelState state() {
        return lifecycle.state();
    }

    @Override
    public Subscription onStateChange(StateListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        return lifecycle.onStateChange(listener);
    }

    @Override
    public ChannelStats stats() {
        boolean closed = lifecycle.state().isTerminal() && closing;
        return counters.stats(name(), lane(), lifecycle.state(), closed, inbound, outbound, safety.emergencyStops(),
                safety.safeStops());
    }

    // ------------------------------------------------------------------ lane side

    /**
     * Hands one value to every handler, catching what they throw. Called by the inbound pipe's
     * consumer thread.
     *
     * @param value the value, valid during the call
     * @param stampNanos when it was read
     */
    protected void deliverData(T value, long stampNanos) {
        if (recordLatency) {
            counters.dataLatency.record(System.nanoTime() - stampNanos);
        }
        DataHandler<T>[] hs = handlers.get();
        for (DataHandler<T> h : hs) {
            try {
                h.onData(value, stampNanos);
            } catch (Throwable t) {
                long n = counters.handlerErrors.incrementAndGet();
                long since = handlerErrorLog.due();
                if (since > 0) {
                    LOG.error("Handler of channel '{}' threw (error #{}, {} since the last such line; the lane keeps "
                            + "running, the value is counted as delivered). Fix the handler: {}", name(), n, since,
                            t.toString(), t);
                }
            }
        }
    }

    private void writeCommand(C command, long stampNanos) {
        if (lifecycle.state() != ChannelState.OPEN) {
            counters.commandsDiscarded.incrementAndGet();
            return;
        }
        long writeStart = recordLatency ? System.nanoTime() : 0; // send to the start of the device write
        boolean written;
        try {
            written = safety.writeInBatch(command);
        } catch (Throwable t) {
            counters.commandsFailed.incrementAndGet();
            deviceLost(t);
            return;
        }
        if (!written) {
            counters.commandsDiscarded.incrementAndGet(); // queued before the emergency stop: stale, never written
            safety.countStopped();
            return;
        }
        if (recordLatency) {
            counters.commandLatency.record(writeStart - stampNanos); // only commands that reached the device
        }
        taps.offerCommand(command, stampNanos, recordLatency);
    }

    /**
     * Writes up to {@code limit} queued commands to the device: one batch of the writer's duty cycle
     * (a fast channel's writer thread, its loop, or a slow channel's loop or I/O thread). The device's
     * write lock is held across the batch and handed to a waiting emergency stop between writes.
     *
     * @param limit the most commands to take
     * @return commands taken off the queue
     */
    protected final int writeCommands(int limit) {
        try {
            return outbound.poll(limit);
        } finally {
            safety.endBatch();
        }
    }

    /**
     * One step of the reader's duty cycle: open or reopen the device when due, else read one value
     * into the inbound pipe. Called by exactly one thread at a time (reader or loop).
     *
     * @param nowNanos the time
     * @return 1 if it did something, 0 if there was nothing to do
     */
    protected int pollDevice(long nowNanos) {
        ChannelState s = lifecycle.state();
        if (closing || s.isTerminal()) {
            return 0;
        }
        if (s != ChannelState.OPEN) {
            if (!lifecycle.openAttemptDue(nowNanos)) {
                return 0;
            }
            return lifecycle.tryOpen(s) ? 1 : 0;
        }
        T into = inbound.claim();
        try {
            if (!driver.read(into)) {
                return 0;
            }
        } catch (CorruptDataException e) {
            long n = counters.corruptReads.incrementAndGet();
            long since = corruptLog.due();
            if (since > 0) {
                LOG.warn("Channel '{}' read corrupt data from {} (#{}, {} since the last such line), dropped: {}",
                        name(), driver.describe(), n, since, e.getMessage());
            }
            return 1;
        } catch (Throwable t) {
            if (!closing) {
                deviceLost(t);
            }
            return 1;
        }
        long t = System.nanoTime();
        latest.set(into, t);
        taps.offerData(into, t);
        inbound.commit(t);
        dataQueued();
        return 1;
    }

    /** Called after a value was queued for the handlers; the slow lane wakes its loop. */
    protected void dataQueued() {
    }

    /**
     * The reader's idle time when the device is not open: until the next open attempt is due.
     *
     * @return nanoseconds to wait, 0 when open
     */
    protected long nanosUntilOpenAttempt() {
        return lifecycle.nanosUntilOpenAttempt();
    }

    /**
     * How a thread that reads this channel's device waits (see {@link ReopenIdle}).
     *
     * @param polling the wait between empty polls of a non-blocking driver; null for a blocking one
     * @return a new strategy, for the reading thread
     */
    protected io.github.twinlane.cycle.IdleStrategy readerIdle(io.github.twinlane.cycle.IdleStrategy polling) {
        return new ReopenIdle(this::nanosUntilOpenAttempt, polling);
    }

    /**
     * The device failed: move to reconnecting (once), close the driver so a blocked read returns,
     * and schedule the reopen. Any lane thread.
     *
     * @param cause the failure
     */
    protected void deviceLost(Throwable cause) {
        lifecycle.deviceLost(cause);
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        closeBy(System.nanoTime() + closeTimeoutNanos);
    }

    /**
     * Closes by a deadline shared with other channels.
     *
     * @param deadlineNanos the deadline
     * @return threads of this channel still alive at the deadline (normally none)
     */
    public List<Thread> closeBy(long deadlineNanos) {
        synchronized (this) {
            if (closing) {
                return List.of();
            }
            closing = true;
        }
        if (lifecycle.state() == ChannelState.OPEN) {
            safety.writeSafe("channel closing");
        }
        lifecycle.closed();
        lifecycle.closeDriver();
        supervisor.forget(this);
        List<Thread> alive = new java.util.ArrayList<>(stopThreads(deadlineNanos));
        alive.addAll(taps.stopAll(deadlineNanos));
        for (Thread t : alive) {
            LOG.error("Channel '{}': thread {} did not stop within the close timeout; it is stuck in {}. "
                    + "The driver's close() must make a blocked read return.", name(), t.getName(),
                    t.getStackTrace().length > 0 ? t.getStackTrace()[0] : "native code");
        }
        return alive;
    }

    /** Starts the channel's threads; the device is opened on one of them. Called once. */
    public abstract void start();

    /**
     * Stops this channel's threads and waits for them until the deadline.
     *
     * @param deadlineNanos the deadline
     * @return those still alive
     */
    protected abstract List<Thread> stopThreads(long deadlineNanos);
}
