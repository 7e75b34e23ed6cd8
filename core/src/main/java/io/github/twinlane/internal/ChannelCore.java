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
import io.github.twinlane.FreshnessListener;
import io.github.twinlane.SafetyListener;
import io.github.twinlane.internal.safety.ChannelSafety;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.LogLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both lanes' channels share: the two pipes, the latest value, the read and write paths, the
 * handlers and counters, with the state machine and reconnects in {@link ChannelLifecycle}, taps in
 * {@link TapSet}, and safety in {@link ChannelSafety} (one type per concept in package
 * {@code internal.safety}: the write gate every device write goes through, the emergency latch, the
 * watchdog, the freshness monitor, and the stop thread that writes stops). The lanes differ only in
 * which threads call {@link #pollDevice}, the pipes' consumers, and how they stop.
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
    private final boolean recordLatency;
    private final Supervisor supervisor;
    /** Latch, watchdog, freshness, the write gate and the stop thread. */
    protected final ChannelSafety<C> safety;

    private final ChannelLifecycle lifecycle;
    @SuppressWarnings({"unchecked", "rawtypes"})
    private final SnapshotArray<DataHandler<T>> handlers = new SnapshotArray<>(n -> new DataHandler[n]);
    private final TapSet<C, T> taps;
    private final MemoryBudget.Reservation memory;

    /** Faults and latencies. */
    final ChannelCounters counters = new ChannelCounters();
    // each used by the one thread that delivers to the handlers, or the one that reads the device
    private final LogLimiter handlerErrorLog = new LogLimiter();
    private final LogLimiter corruptLog = new LogLimiter();
    private final LogLimiter invalidLog = new LogLimiter(); // any sender's, under its own monitor

    /** Set once by close; every loop checks it. */
    protected volatile boolean closing;
    private boolean closed; // guarded by this
    private volatile boolean safeAwaited;

    /**
     * Creates the channel's shared state. Threads are started by the lane.
     *
     * @param config the configuration
     * @param driver the device
     * @param threads the thread source
     * @param closeTimeoutNanos how long close may take
     * @param multiProducerCommands whether commands may come from many threads
     * @param supervisor checks watchdogs and stale inputs
     * @param budget the runtime's memory budget: the channel's preallocated messages are reserved in it
     *     before they are allocated, and given back at close
     * @throws IllegalArgumentException if they would take more than the channel's {@code maxBytes}
     * @throws IllegalStateException if the budget or the JVM's limits cannot hold them
     */
    protected ChannelCore(ChannelConfig config, DeviceDriver<C, T> driver, LaneThreads threads,
                          long closeTimeoutNanos, boolean multiProducerCommands, Supervisor supervisor,
                          MemoryBudget budget) {
        this.memory = reserve(config, driver, budget);
        try {
            this.config = config;
            this.driver = driver;
            this.threads = threads;
            this.closeTimeoutNanos = closeTimeoutNanos;
            this.supervisor = supervisor;
            this.recordLatency = config.latencyRecording();
            long block = config.blockTimeout().toNanos();
            this.inbound = new Pipe<>(driver.dataType(), config.dataPolicy(), config.capacity(), block,
                    config.dataWaitMode(), false).enableClaims(); // the reader reads straight into the ring
            this.outbound = new Pipe<>(driver.commandType(), config.commandPolicy(), config.capacity(), block,
                    config.commandWaitMode(), multiProducerCommands);
            this.latest = new LatestValue<>(driver.dataType());
            this.safety = new ChannelSafety<>(config, driver, threads, new ChannelSafety.Device() {
                @Override
                public ChannelState state() {
                    return lifecycle.state();
                }

                @Override
                public void lost(Throwable cause) {
                    deviceLost(cause);
                }

                @Override
                public void failAndClose(Throwable cause) {
                    lifecycle.fail(cause);
                    lifecycle.closeDriver(); // the driver's close makes a blocked write return or throw
                }
            }, supervisor::notify);
            this.lifecycle = new ChannelLifecycle(config.name(), config, driver, LOG, counters.reconnects, counters.driverErrors,
                    () -> closing, () -> {
                        threads.placement().deviceOpened(config.lane());
                        this.safety.deviceOpened(); // an emergency stop asked for while the device was down goes first
                    });
            this.taps = new TapSet<>(config.name(), threads, budget, driver.commandType(), driver.dataType());
            inbound.sink((value, stamp, tag) -> deliverData(value, stamp));
            outbound.sink(this::writeCommand);
            driver.bind(() -> inbound.pending() == 0);
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
        if (safety.takesCommands() || !config.maxDataAge().isZero()) {
            supervisor.watch(this); // stuck writes, watchdog, stale inputs
        }
    }

    /**
     * What the channel's messages take, checked against its {@code maxBytes} and reserved in the budget,
     * before any is allocated: two rings with their spares, the latest value, the stop thread's copies.
     */
    private static <C, T> MemoryBudget.Reservation reserve(ChannelConfig config, DeviceDriver<C, T> driver,
                                                           MemoryBudget budget) {
        T dataProbe = driver.dataType().newInstance();
        C commandProbe = driver.commandType().newInstance();
        long dataEach = driver.dataType().heapBytes(dataProbe) + driver.dataType().directBytes(dataProbe);
        long commandEach = driver.commandType().heapBytes(commandProbe) + driver.commandType().directBytes(commandProbe);
        int dataMessages = Pipe.messages(config.dataPolicy(), config.capacity(), true) + 1; // and the latest value
        int commandMessages = Pipe.messages(config.commandPolicy(), config.capacity(), false) + 2; // and the stop's copies
        long heap = dataMessages * driver.dataType().heapBytes(dataProbe)
                + commandMessages * driver.commandType().heapBytes(commandProbe);
        long direct = dataMessages * driver.dataType().directBytes(dataProbe)
                + commandMessages * driver.commandType().directBytes(commandProbe);
        String what = dataMessages + " data messages of " + MemoryBudget.bytes(dataEach) + " and " + commandMessages
                + " commands of " + MemoryBudget.bytes(commandEach) + " (rings of " + config.capacity()
                + " slots, their spares, the latest value)";
        String owner = "Channel '" + config.name() + "'";
        if (heap + direct > config.maxBytes()) {
            throw new IllegalArgumentException(owner + " would preallocate " + MemoryBudget.bytes(heap + direct) + " for "
                    + what + ", more than its maxBytes of " + MemoryBudget.bytes(config.maxBytes())
                    + ": lower its capacity or raise its maxBytes (ChannelConfig builder)");
        }
        return budget.reserve(owner, what, heap, direct, "lower the channel's capacity");
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

    /**
     * Queues a command. The gate's epoch is read first: a stop that supersedes queued commands advances
     * it before it checks anything, so a command either sees the latch (or the close) and is refused, or
     * carries the epoch the stop superseded and is discarded by the writer, never written after the stop.
     * The watchdog is fed when a command reaches the device, with the time it was sent: an accepted command
     * that is never written (superseded, conflated, stuck behind a slow write or a busy shared loop thread)
     * feeds nothing.
     */
    @Override
    public SendResult send(C command) {
        long epoch = safety.epoch();
        ChannelState s = lifecycle.state();
        if (closing || s != ChannelState.OPEN) {
            outbound.reject();
            return closing || s.isTerminal() ? SendResult.REJECTED_CLOSED : SendResult.DROPPED_NOT_OPEN;
        }
        if (safety.latched()) {
            outbound.reject(); // counted as dropped, as every refusal
            return SendResult.REJECTED_EMERGENCY_STOP;
        }
        if (command == null) {
            outbound.reject();
            invalid(new NullPointerException("command is null"));
            return SendResult.REJECTED_INVALID;
        }
        boolean armed = safety.watchdogArmed();
        // the send time serves the latency histogram and the watchdog; with neither, no clock read
        long now = recordLatency || armed ? System.nanoTime() : 0;
        SendResult r;
        try {
            r = outbound.offer(command, now, epoch);
        } catch (RuntimeException e) {
            invalid(e); // the pipe counted it and stays usable
            return SendResult.REJECTED_INVALID;
        }
        commandQueued();
        return r;
    }

    private void invalid(RuntimeException e) {
        long n = counters.invalidCommands.incrementAndGet();
        long since;
        synchronized (invalidLog) {
            since = invalidLog.due();
        }
        if (since > 0) {
            LOG.error("Channel '{}' refused an invalid command (#{}, {} since the last such line; counted as dropped). "
                    + "Fix the sender: {}", name(), n, since, e.toString());
        }
    }

    @Override
    public boolean emergencyStop(C stopCommand) {
        return safety.emergencyStop(stopCommand);
    }

    @Override
    public void releaseEmergencyStop() {
        safety.release();
    }

    @Override
    public void watchdog(Duration feedTimeout, Consumer<C> safeCommand) {
        safety.arm(feedTimeout, safeCommand);
        supervisor.watch(this);
    }

    @Override
    public boolean fresh() {
        return safety.fresh(System.nanoTime(), latest.stampNanos());
    }

    @Override
    public Subscription onSafetyEvent(SafetyListener listener) {
        return safety.onSafetyEvent(listener);
    }

    @Override
    public Subscription onFreshness(FreshnessListener listener) {
        return safety.onFreshness(listener);
    }

    /**
     * The supervisor's check of this channel (see {@link ChannelSafety#supervise}).
     *
     * @param nowNanos the time
     * @return the interval this channel wants to be checked at, 0 for none
     */
    long supervise(long nowNanos) {
        return closing ? 0 : safety.supervise(nowNanos, latest.stampNanos());
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
        return counters.stats(name(), lane(), lifecycle.state(), closed, inbound, outbound, safety.emergencyStopsWritten(),
                safety.safeCommandsWritten(), memory.heapBytes() + taps.reservedHeapBytes(),
                memory.directBytes() + taps.reservedDirectBytes());
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

    private void writeCommand(C command, long stampNanos, long epoch) {
        if (lifecycle.state() != ChannelState.OPEN) {
            counters.commandsDiscarded.incrementAndGet();
            return;
        }
        long writeStart = recordLatency ? System.nanoTime() : 0; // send to the start of the device write
        boolean written;
        try {
            written = safety.writeInBatch(command, epoch);
        } catch (Throwable t) {
            counters.commandsFailed.incrementAndGet();
            deviceLost(t);
            return;
        }
        if (!written) {
            // superseded by a stop, latched, or closing: stale, never written after the stop
            counters.commandsDiscarded.incrementAndGet();
            return;
        }
        if (recordLatency) {
            counters.commandLatency.record(writeStart - stampNanos); // only commands that reached the device
        }
        if (safety.watchdogArmed()) {
            safety.feed(stampNanos != 0 ? stampNanos : System.nanoTime()); // sent before the watchdog was armed: now
        }
        taps.offerCommand(command, stampNanos, recordLatency);
    }

    /**
     * Writes up to {@code limit} queued commands to the device: one batch of the writer's duty cycle
     * (a fast channel's writer thread, its loop, or a slow channel's loop or I/O thread). The device's
     * write gate is held across the batch and handed to a waiting stop between writes.
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
     * schedule the reopen, and supersede every command queued so far. Any lane thread.
     *
     * @param cause the failure
     */
    protected void deviceLost(Throwable cause) {
        lifecycle.deviceLost(cause);
        // after the state left OPEN: a send that still saw OPEN read the epoch before this, so whatever was
        // queued before the loss is never written after the reconnect (a stale setpoint replayed late)
        safety.supersede();
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        closeBy(System.nanoTime() + closeTimeoutNanos);
    }

    /**
     * The first step of closing, which the runtime takes for every channel before it waits for any: no
     * more sends, no more ordinary writes (queued commands are superseded), and the safe command, if one
     * is armed and no emergency stop is latched, handed to the stop thread. Never blocks. Idempotent.
     */
    public void beginClose() {
        synchronized (this) {
            closing = true;
        }
        safety.beginClose();
    }

    /**
     * Waits, until {@code byNanos} and at most twice the write timeout, for the safe command
     * {@link #beginClose()} asked for.
     *
     * @param byNanos how long the close gives safe commands: part of its deadline, the rest is for
     *     closing drivers and stopping threads
     * @return true if it was written, or none was asked for
     */
    public boolean awaitSafeAtClose(long byNanos) {
        safeAwaited = true; // closeDevice does not wait for it a second time
        return safety.awaitSafeAtClose(byNanos);
    }

    /**
     * The part of a close's time the safe commands get: half of what is left, so closing the drivers
     * (which unblocks stuck writes) and stopping the threads keep the other half.
     *
     * @param deadlineNanos the close's deadline
     * @return the bound for {@link #awaitSafeAtClose}
     */
    public static long safeCommandsBy(long deadlineNanos) {
        long now = System.nanoTime();
        return now + Math.max(0, deadlineNanos - now) / 2;
    }

    /**
     * Closes by a deadline shared with other channels: {@link #beginClose()}, the safe command waited
     * for, then the driver closed (which unblocks a stuck read or write) and the threads stopped.
     *
     * @param deadlineNanos the deadline
     * @return threads of this channel still alive at the deadline (normally none)
     */
    public List<Thread> closeBy(long deadlineNanos) {
        if (!closeDevice(deadlineNanos)) {
            return List.of();
        }
        return stopThreadsBy(deadlineNanos);
    }

    /**
     * The second step of closing: {@link #beginClose()}, the safe command waited for (unless the caller
     * already waited for it), then the channel CLOSED and its driver closed, which unblocks a stuck read
     * or write. The runtime takes it for every channel before it waits for any channel's threads.
     *
     * @param deadlineNanos the close's deadline
     * @return false if this channel was closed already
     */
    public boolean closeDevice(long deadlineNanos) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
        }
        beginClose();
        if (!safeAwaited) {
            awaitSafeAtClose(safeCommandsBy(deadlineNanos));
        }
        lifecycle.closed();
        lifecycle.closeDriver();
        supervisor.forget(this);
        return true;
    }

    /**
     * The last step of closing: stops the channel's threads, its stop thread and its taps by the deadline.
     *
     * @param deadlineNanos the close's deadline
     * @return threads still alive then (normally none), each logged with where it is stuck
     */
    public List<Thread> stopThreadsBy(long deadlineNanos) {
        List<Thread> alive = new ArrayList<>(stopThreads(deadlineNanos));
        alive.addAll(safety.stopThread(deadlineNanos));
        alive.addAll(taps.stopAll(deadlineNanos));
        memory.close(); // the slots are garbage once the threads that hold them end
        for (Thread t : alive) {
            StackTraceElement[] at = t.getStackTrace(); // once: the thread may end between two reads
            LOG.error("Channel '{}': thread {} did not stop within the close timeout; it is stuck in {}. "
                    + "The driver's close() must make a blocked read or write return.", name(), t.getName(),
                    at.length > 0 ? at[0] : "native code (or it just ended)");
        }
        return alive;
    }

    /** Starts the stop thread of a channel whose device takes commands; the fast lane's {@link #start()} calls it first. */
    protected final void startStops() {
        safety.startStops();
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
