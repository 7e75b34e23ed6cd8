package io.github.twinlane.internal.safety;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceStuckException;
import io.github.twinlane.Durations;
import io.github.twinlane.FreshnessListener;
import io.github.twinlane.NoCommand;
import io.github.twinlane.SafetyEvent;
import io.github.twinlane.SafetyListener;
import io.github.twinlane.Subscription;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.internal.LaneThreads;
import io.github.twinlane.internal.SnapshotArray;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's safety, composed of one type per concept: the {@link WriteGate} every device write goes
 * through, the {@link EmergencyLatch}, the {@link Watchdog}, the {@link FreshnessMonitor}, and the
 * {@link StopWriter} whose thread writes the stops. It decides what a stop supersedes, when the watchdog
 * trips, when a write is stuck, and what close asks of the device; it tells the safety listeners and
 * counts what was written. The channel asks it before it queues a command and lets its writer write
 * through its gate.
 *
 * <p>Threading: {@link #supervise} from the runtime's supervisor only (never blocks, never touches the
 * device); {@link #writeInBatch}/{@link #endBatch} from the channel's one writer; the rest from any
 * thread. {@link #emergencyStop} and {@link #awaitSafeAtClose} block, with the bounds they state.
 *
 * @param <C> command type
 */
public final class ChannelSafety<C> {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.twinlane.channel");

    /** What the safety needs of its channel. */
    public interface Device {
        /** @return the channel's state now */
        ChannelState state();

        /**
         * A stop's write failed: the device is lost (the channel reconnects). The stop thread.
         *
         * @param cause what the write threw
         */
        void lost(Throwable cause);

        /**
         * A write is stuck: fail the channel and close the driver to unblock it. Runs on a thread of its
         * own, which may block in the driver's close.
         *
         * @param cause names the device and the write
         */
        void failAndClose(Throwable cause);
    }

    private final String channel;
    private final DeviceDriver<C, ?> driver;
    private final ChannelConfig config;
    private final LaneThreads threads;
    private final Device device;
    private final long writeTimeoutNanos;
    private final EmergencyLatch latch = new EmergencyLatch();
    private final WriteGate<C> gate;
    private final Watchdog<C> watchdog;
    private final FreshnessMonitor freshness;
    private final StopWriter<C> stops; // null for a device that takes no commands
    private final AtomicLong emergencyStopsWritten = new AtomicLong();
    private final AtomicLong safeCommandsWritten = new AtomicLong();
    private final SnapshotArray<SafetyListener> listeners = new SnapshotArray<>(SafetyListener[]::new);
    private volatile boolean stuckReported; // the supervisor's: one report per stuck write
    private volatile Thread unblocker; // the thread failing and closing a stuck device, joined by stopThread
    private DutyCycleRunner stopsRunner; // guarded by this
    private boolean closing; // guarded by this
    private long safeAtCloseTicket; // guarded by this

    /**
     * Creates a channel's safety; its stop thread starts with {@link #startStops()}.
     *
     * @param config the channel's configuration (name, lane, write timeout, age limit)
     * @param driver the device
     * @param threads where the stop thread and a stuck write's unblocking thread come from
     * @param device what the safety needs of its channel
     * @param notifier runs the freshness listeners' calls off the supervisor
     */
    public ChannelSafety(ChannelConfig config, DeviceDriver<C, ?> driver, LaneThreads threads, Device device,
                         java.util.concurrent.Executor notifier) {
        this.channel = config.name();
        this.config = config;
        this.driver = driver;
        this.threads = threads;
        this.device = device;
        this.writeTimeoutNanos = config.writeTimeout().toNanos();
        this.gate = new WriteGate<>(driver, latch);
        this.watchdog = new Watchdog<>(driver.commandType());
        this.freshness = new FreshnessMonitor(channel, config.maxDataAge(), notifier);
        this.stops = driver.commandType() == NoCommand.TYPE ? null : new StopWriter<>(gate, latch,
                driver.commandType(), device::state, this::stopOutcome);
    }

    /** The device (re)opened: an emergency stop asked for while it was down is written now. The opening thread. */
    public void deviceOpened() {
        if (stops != null) {
            stops.deviceOpened();
        }
    }

    /** @return whether the device takes commands (it then has a stop thread and the supervisor watches it) */
    public boolean takesCommands() {
        return stops != null;
    }

    // ------------------------------------------------------------------ senders

    /** @return the epoch a command sent now belongs to; read it before anything else a send checks */
    public long epoch() {
        return gate.epoch();
    }

    /** @return whether an emergency stop is latched */
    public boolean latched() {
        return latch.latched();
    }

    /** @return whether the watchdog is armed (a send must then carry its time) */
    public boolean watchdogArmed() {
        return watchdog.armed();
    }

    /**
     * A command was accepted: feeds the watchdog. One release store.
     *
     * @param nowNanos its send time
     */
    public void feed(long nowNanos) {
        watchdog.feed(nowNanos);
    }

    // ------------------------------------------------------------------ the writer

    /**
     * Writes one command of the writer's batch through the gate, unless a stop superseded it.
     *
     * @param command the command
     * @param epoch the epoch it was sent in
     * @return true if written
     * @throws java.io.IOException what the driver threw
     */
    public boolean writeInBatch(C command, long epoch) throws java.io.IOException {
        return gate.writeInBatch(command, epoch);
    }

    /** Ends the writer's batch. */
    public void endBatch() {
        gate.endBatch();
    }

    /** Supersedes every command queued so far (the device was lost: none of them is written after the reconnect). */
    public void supersede() {
        gate.supersede();
    }

    // ------------------------------------------------------------------ the application

    /**
     * Latches, supersedes every queued command, and has the stop thread write {@code stopCommand};
     * waits for the outcome at most twice the write timeout.
     *
     * @param stopCommand the stop; copied
     * @return whether the device took it
     */
    public boolean emergencyStop(C stopCommand) {
        latch.latch();
        gate.supersede(); // nothing sent before this is written after it, even after a release
        ChannelState s = device.state();
        if (stops == null || s.isTerminal()) {
            String why = stops == null ? driver.describe() + " takes no commands"
                    : driver.describe() + " is " + s + ": nothing can be written to it";
            LOG.error("Channel '{}': emergency stop latched, but {}", channel, why);
            tell(SafetyEvent.EMERGENCY_STOP, "latched, but " + why);
            return false;
        }
        startStops();
        long ticket;
        try {
            ticket = stops.requestStop(stopCommand);
        } catch (RuntimeException e) {
            LOG.error("Channel '{}': emergency stop latched, but its stop command is invalid ({}): nothing was written. "
                    + "Pass a command the device's type can copy.", channel, e.toString());
            tell(SafetyEvent.EMERGENCY_STOP, "latched, but the stop command is invalid: " + e);
            return false;
        }
        if (s != ChannelState.OPEN) {
            // opening or reconnecting: the stop stays asked for and is written first thing once the device is open
            LOG.error("Channel '{}': emergency stop latched; {} is {}: the stop is written as soon as it is open again",
                    channel, driver.describe(), s);
            tell(SafetyEvent.EMERGENCY_STOP, "latched; " + driver.describe() + " is " + s
                    + ": the stop is written as soon as it is open again");
            return false;
        }
        long bound = 2 * writeTimeoutNanos;
        boolean written = stops.awaitStop(ticket, System.nanoTime() + bound);
        if (!written && device.state() == ChannelState.OPEN) {
            long busy = gate.writeInProgressNanos(System.nanoTime());
            LOG.error("Channel '{}': emergency stop latched, but not written within {}{}; it is written as soon as the "
                    + "device takes writes again, and the channel fails if its write stays stuck", channel,
                    Durations.human(Duration.ofNanos(bound)), busy >= 0 ? " (" + gate.writing().describe()
                    + " to " + driver.describe() + " has been in progress for " + busy / 1_000_000 + " ms)" : "");
        }
        return written;
    }

    /** Releases a latched emergency stop; the watchdog's feed starts again now. */
    public void release() {
        if (latch.release()) {
            watchdog.restart(System.nanoTime());
            LOG.info("Channel '{}': emergency stop released", channel);
            tell(SafetyEvent.EMERGENCY_STOP_RELEASED, "released; commands are accepted again");
        }
    }

    /**
     * Arms (or changes) the watchdog and starts the stop thread.
     *
     * @param feedTimeout 1 ms to 60 s
     * @param safeCommand fills the safe command
     * @throws IllegalStateException if the device takes no commands
     */
    public void arm(Duration feedTimeout, Consumer<C> safeCommand) {
        Objects.requireNonNull(safeCommand, "safeCommand must fill the command to send, was null");
        if (stops == null) {
            throw new IllegalStateException("channel '" + channel + "' takes no commands (" + driver.describe()
                    + "): a watchdog needs a device that takes a safe command");
        }
        watchdog.arm(feedTimeout, safeCommand);
        startStops();
    }

    /**
     * @param nowNanos the time
     * @param latestDataNanos the newest value's time, or -1
     * @return whether the newest data is within the age limit
     */
    public boolean fresh(long nowNanos, long latestDataNanos) {
        return freshness.fresh(nowNanos, latestDataNanos);
    }

    /**
     * @param listener told of stops, trips and releases
     * @return removes it
     */
    public Subscription onSafetyEvent(SafetyListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        listeners.add(listener, false);
        return () -> listeners.remove(listener);
    }

    /**
     * @param listener told when data goes stale and fresh again
     * @return removes it
     */
    public Subscription onFreshness(FreshnessListener listener) {
        if (listener == null) {
            throw new NullPointerException("listener must not be null");
        }
        freshness.listeners().add(listener);
        return () -> freshness.listeners().remove(listener);
    }

    /** @return emergency stops the device took */
    public long emergencyStopsWritten() {
        return emergencyStopsWritten.get();
    }

    /** @return safe commands the device took (watchdog trips, closes) */
    public long safeCommandsWritten() {
        return safeCommandsWritten.get();
    }

    // ------------------------------------------------------------------ the supervisor

    /**
     * The supervisor's check: a stuck write, the watchdog, the inputs' freshness. Never blocks and never
     * touches the device: a trip is handed to the stop thread, a stuck device to a thread of its own.
     *
     * @param nowNanos the time
     * @param latestDataNanos the newest value's time, or -1
     * @return the interval this channel wants to be checked at, 0 for none
     */
    public long supervise(long nowNanos, long latestDataNanos) {
        freshness.check(nowNanos, latestDataNanos);
        boolean open = device.state() == ChannelState.OPEN;
        long inWrite = gate.writeInProgressNanos(nowNanos);
        if (inWrite > writeTimeoutNanos) {
            if (open && !stuckReported) {
                stuckReported = true;
                stuck(inWrite);
            }
        } else if (open && !latch.latched() && watchdog.due(nowNanos)) {
            gate.supersede(); // what the stalled loop queued last is stale: the safe command stays the last word
            stops.requestSafe(watchdog.safeCommand(), "no command for longer than the watchdog's feed timeout: "
                    + "the control loop stalled?");
        }
        long interval = stops == null ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(1), writeTimeoutNanos / 4);
        interval = shortest(interval, watchdog.checkIntervalNanos());
        return shortest(interval, freshness.checkIntervalNanos());
    }

    private static long shortest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    private void stuck(long inWriteNanos) {
        String what = gate.writing().describe() + " to " + driver.describe() + " has not returned for "
                + inWriteNanos / 1_000_000 + " ms (writeTimeout " + Durations.human(config.writeTimeout()) + ")";
        DeviceStuckException cause = new DeviceStuckException("channel '" + channel + "': " + what
                + ": the device is stuck. The channel failed and its driver was closed to unblock the write; "
                + "check the device, then open the channel again");
        synchronized (this) { // brief: beginClose never blocks while it holds this
            if (closing) { // the close closes the driver itself, and would not wait for a thread started after it
                LOG.error("Channel '{}': {} while the channel closes: its close closes the driver to unblock it",
                        channel, what);
                return;
            }
            Thread t = threads.factory(config.lane(), channel, "unblock").newThread(() -> device.failAndClose(cause));
            unblocker = t; // before start: stopThread, which comes after beginClose, waits for it
            t.start();
        }
    }

    // ------------------------------------------------------------------ the stop thread

    /** Starts the stop thread, once, unless closing began or the device takes no commands. */
    public synchronized void startStops() {
        if (stops != null && stopsRunner == null && !closing) {
            stopsRunner = threads.run(config.lane(), channel, "stops", stops, stops.idle());
        }
    }

    private void stopOutcome(WriteGate.Kind kind, boolean written, String why, Throwable failure) {
        if (kind == WriteGate.Kind.EMERGENCY_STOP) {
            if (written) {
                emergencyStopsWritten.incrementAndGet();
                LOG.warn("Channel '{}': EMERGENCY STOP written to {}; commands are refused until released", channel,
                        driver.describe());
                tell(SafetyEvent.EMERGENCY_STOP, "latched; the stop command was written to " + driver.describe());
            } else {
                String reason = failure != null ? "the stop command could not be written to " + driver.describe()
                        + ": " + failure : driver.describe() + " is " + device.state() + ": nothing could be written to it";
                LOG.error("Channel '{}': emergency stop latched, but {}", channel, reason);
                tell(SafetyEvent.EMERGENCY_STOP, "latched, but " + reason);
            }
        } else {
            boolean trip = why.startsWith("no command");
            if (written) {
                safeCommandsWritten.incrementAndGet();
                LOG.warn("Channel '{}': safe command written to {} ({})", channel, driver.describe(), why);
            } else if (!latch.latched()) {
                LOG.error("Channel '{}': could not write the safe command to {} ({}): {}", channel, driver.describe(),
                        why, failure != null ? failure.toString() : "the device is " + device.state());
            }
            if (trip && (written || !latch.latched())) {
                tell(SafetyEvent.WATCHDOG_TRIPPED, "no command for longer than the feed timeout; the safe command "
                        + (written ? "was written" : "could not be written"));
            }
            if (trip && !written && !latch.latched()) {
                watchdog.tripAgain(); // not written (the write failed, the device went down): the next check retries
            }
        }
        if (failure != null && !(failure instanceof InterruptedException)) {
            device.lost(failure);
        }
    }

    private void tell(SafetyEvent event, String detail) {
        for (SafetyListener l : listeners.get()) {
            try {
                l.onSafetyEvent(channel, event, detail);
            } catch (Throwable t) {
                LOG.warn("Safety listener of channel '{}' threw; ignored: {}", channel, t.toString());
            }
        }
    }

    // ------------------------------------------------------------------ close

    /**
     * The first step of closing: no more ordinary writes (queued commands are superseded), and the safe
     * command, if one is armed and no emergency stop is latched, asked of the stop thread. Never blocks.
     * The channel refuses sends from now on. Idempotent.
     */
    public synchronized void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        gate.seal();
        gate.supersede();
        C safe = watchdog.safeCommand();
        if (safe != null && stopsRunner != null && !latch.latched() && device.state() == ChannelState.OPEN) {
            safeAtCloseTicket = stops.requestSafe(safe, "channel closing");
        }
    }

    /**
     * Waits, until {@code byNanos} and at most twice the write timeout, for the safe command
     * {@link #beginClose()} asked for.
     *
     * @param byNanos how long the close gives safe commands
     * @return true if it was written, or none was asked for
     */
    public boolean awaitSafeAtClose(long byNanos) {
        long ticket;
        synchronized (this) {
            ticket = safeAtCloseTicket;
        }
        if (ticket == 0) {
            return true;
        }
        return stops.awaitSafe(ticket, Math.min(byNanos, System.nanoTime() + 2 * writeTimeoutNanos));
    }

    /**
     * Stops the stop thread (after the driver was closed: a stop still waiting for the gate gives up).
     *
     * @param deadlineNanos the close's deadline
     * @return the thread if still alive then
     */
    public List<Thread> stopThread(long deadlineNanos) {
        DutyCycleRunner r;
        synchronized (this) {
            r = stopsRunner;
        }
        List<Thread> alive = new ArrayList<>();
        if (r != null) {
            stops.stopping();
            alive.addAll(threads.stop(List.of(r), true, deadlineNanos));
        }
        Thread u = unblocker; // it closes the driver, which the close has closed too: it returns with it
        if (u != null && u != Thread.currentThread()) { // a FAILED listener on it may close the channel itself
            alive.addAll(threads.join(List.of(u), deadlineNanos));
        }
        return alive;
    }
}
