package io.github.twinlane.internal.safety;

import io.github.twinlane.MessageType;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.IdleStrategy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import io.github.twinlane.ChannelState;
import java.util.function.Supplier;

/**
 * The duty cycle of a channel's stop thread ({@code twinlane-<lane>-<channel>-stops}): the one thread
 * that writes a channel's stops, an emergency stop, the watchdog's safe command and the safe command at
 * close, through the channel's {@link WriteGate}.
 *
 * <p>Why a thread of its own: whoever asks for a stop must not be the one who waits on the device. The
 * supervisor, which watches every channel, never writes (one stuck device would freeze every channel's
 * watchdog); {@code emergencyStop} and {@code close} wait for the outcome with a bound and return
 * whether the stop reached the device, even when a write is stuck. A stuck write blocks this channel's
 * stop thread only; the supervisor then fails the channel and closes its driver, which unblocks it.
 *
 * <p>Requests coalesce: an emergency stop asked for while one is pending replaces its command (the
 * newest stop wins) and both callers learn the outcome of the one write. An emergency stop is written
 * before a pending safe command, and a safe command is not written while the stop is latched (the stop
 * stays the last thing the device was told).
 *
 * <p>Threading: {@link #requestStop}, {@link #requestSafe} and the waits from any thread; {@link #doWork}
 * from the stop thread only. Nothing is allocated per request.
 *
 * @param <C> command type
 */
public final class StopWriter<C> implements DutyCycle {
    /** How the channel hears what happened to each stop (its logs, events and counters). Stop thread. */
    public interface Outcome {
        /**
         * One stop was written or given up.
         *
         * @param kind the stop
         * @param written whether the device took it
         * @param why the reason given with the request (a safe command's), or null
         * @param failure what the write threw, or null
         */
        void stopped(WriteGate.Kind kind, boolean written, String why, Throwable failure);
    }

    private static final long GATE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private final WriteGate<C> gate;
    private final EmergencyLatch latch;
    private final MessageType<C> type;
    private final Supplier<ChannelState> deviceState;
    private final Outcome outcome;
    private final Object monitor = new Object();
    private final C requestedStop; // guarded by monitor
    private final C stop; // the stop thread's copy
    private long stopRequested; // guarded by monitor
    private long stopDone; // guarded by monitor: every stop asked for up to this one was written or given up
    private long stopWrittenUpTo; // guarded by monitor: a stop was written after every one asked for up to this
    private long safeRequested; // guarded by monitor
    private long safeDone; // guarded by monitor
    private long safeWrittenUpTo; // guarded by monitor
    private boolean inline; // the stop thread's
    private String safeWhy; // guarded by monitor
    private volatile C safe;
    private volatile Thread thread;
    private volatile boolean stopping;
    private volatile boolean stopPending; // an emergency stop waits for the device to open

    /**
     * Creates the stop writer; a lane thread runs it.
     *
     * @param gate the channel's write gate
     * @param latch the channel's emergency latch
     * @param type the command type, for the stop's storage
     * @param deviceState the device's state now: a safe command is given up when it is not open; an
     *     emergency stop waits while the device is opening or reconnecting, and is written as soon as it is
     *     open again, before anything else (given up only once the channel failed or closed)
     * @param outcome told of every stop written or given up
     */
    public StopWriter(WriteGate<C> gate, EmergencyLatch latch, MessageType<C> type, Supplier<ChannelState> deviceState,
                      Outcome outcome) {
        this.gate = gate;
        this.latch = latch;
        this.type = type;
        this.deviceState = deviceState;
        this.outcome = outcome;
        this.requestedStop = type.newInstance();
        this.stop = type.newInstance();
    }

    /**
     * Asks for an emergency stop to be written. Any thread; never blocks on the device.
     *
     * @param command the stop command; copied
     * @return a ticket for {@link #awaitStop}
     * @throws RuntimeException what the command type's copy threw (an invalid stop command)
     */
    public long requestStop(C command) {
        long ticket;
        synchronized (monitor) {
            type.copy(command, requestedStop);
            ticket = ++stopRequested;
        }
        wake();
        return ticket;
    }

    /**
     * Asks for the safe command to be written. Any thread; never blocks.
     *
     * @param command the safe command (not copied: it never changes after the watchdog is armed)
     * @param why for the log
     * @return a ticket for {@link #awaitSafe}
     */
    public long requestSafe(C command, String why) {
        long ticket;
        synchronized (monitor) {
            safe = command;
            safeWhy = why;
            ticket = ++safeRequested;
        }
        wake();
        return ticket;
    }

    /**
     * Waits until the stop of {@code ticket} was written or given up, or the deadline.
     *
     * @param ticket from {@link #requestStop}
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return true if written; false if given up, failed, or not done by the deadline
     */
    public boolean awaitStop(long ticket, long deadlineNanos) {
        if (onStopThread()) {
            runInline(); // a listener of this channel's stops asked for one: write it now, never wait on itself
        }
        synchronized (monitor) {
            waitFor(() -> stopDone >= ticket, deadlineNanos);
            return stopWrittenUpTo >= ticket; // written, even if its listeners are still being told
        }
    }

    /**
     * Waits until the safe command of {@code ticket} was written or given up, or the deadline.
     *
     * @param ticket from {@link #requestSafe}
     * @param deadlineNanos a {@link System#nanoTime()} deadline
     * @return true if written
     */
    public boolean awaitSafe(long ticket, long deadlineNanos) {
        if (onStopThread()) {
            runInline();
        }
        synchronized (monitor) {
            waitFor(() -> safeDone >= ticket, deadlineNanos);
            return safeWrittenUpTo >= ticket;
        }
    }

    private boolean onStopThread() {
        return Thread.currentThread() == thread;
    }

    /** On the stop thread itself (a listener): does the pending work now, once (a listener's listener only asks). */
    private void runInline() {
        if (inline) {
            return;
        }
        inline = true;
        try {
            doWork();
        } finally {
            inline = false;
        }
    }

    /**
     * Waits on the monitor (held) until done or the deadline, never on the stop thread itself. An interrupt
     * does not end the wait early (a closing thread whose flag is set still waits its bound); the flag is
     * kept for the caller.
     */
    private void waitFor(java.util.function.BooleanSupplier done, long deadlineNanos) {
        if (onStopThread()) {
            return;
        }
        boolean interrupted = false;
        try {
            while (!done.getAsBoolean()) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public int doWork() {
        thread = Thread.currentThread();
        long stopTarget;
        long safeTarget;
        String why;
        C safeCommand;
        synchronized (monitor) {
            stopTarget = stopRequested > stopDone ? stopRequested : 0;
            if (stopTarget > 0) {
                type.copy(requestedStop, stop);
            }
            safeTarget = safeRequested > safeDone ? safeRequested : 0;
            why = safeWhy;
            safeCommand = safe;
        }
        if (stopTarget > 0) {
            Throwable failure = null;
            int result = GIVEN_UP;
            try {
                result = write(stop, WriteGate.Kind.EMERGENCY_STOP);
            } catch (Throwable t) {
                failure = t;
            }
            stopPending = result == PENDING;
            if (stopPending) {
                return 0; // the device is reconnecting: the stop stays asked for, and goes first once it is open
            }
            boolean written = result == WRITTEN;
            if (written) {
                synchronized (monitor) {
                    stopWrittenUpTo = stopTarget; // the truth for a caller whose bound ends while listeners run
                }
            }
            outcome.stopped(WriteGate.Kind.EMERGENCY_STOP, written, null, failure); // before the caller returns
            synchronized (monitor) {
                stopDone = Math.max(stopDone, stopTarget);
                monitor.notifyAll();
            }
        }
        if (safeTarget > 0) {
            Throwable failure = null;
            boolean written = false;
            if (!latch.latched()) { // an emergency stop stays the last thing the device was told
                try {
                    written = write(safeCommand, WriteGate.Kind.SAFE_COMMAND) == WRITTEN;
                } catch (Throwable t) {
                    failure = t;
                }
            }
            if (written) {
                synchronized (monitor) {
                    safeWrittenUpTo = safeTarget;
                }
            }
            outcome.stopped(WriteGate.Kind.SAFE_COMMAND, written, why, failure);
            synchronized (monitor) {
                safeDone = Math.max(safeDone, safeTarget);
                monitor.notifyAll();
            }
        }
        return stopTarget > 0 || safeTarget > 0 ? 1 : 0;
    }

    private static final int GIVEN_UP = 0;
    private static final int WRITTEN = 1;
    private static final int PENDING = 2;

    /** Takes the gate (waiting while the device is open and a write is in progress), then writes. */
    private int write(C command, WriteGate.Kind kind) throws Exception {
        while (true) {
            if (stopping) {
                return GIVEN_UP;
            }
            int notOpen = unlessOpen(kind);
            if (notOpen >= 0) {
                return notOpen;
            }
            if (gate.acquire(GATE_POLL_NANOS)) {
                break;
            }
        }
        try {
            int notOpen = unlessOpen(kind);
            if (notOpen >= 0) {
                return notOpen;
            }
            gate.writeStop(command, kind);
            return WRITTEN;
        } finally {
            gate.release();
        }
    }

    /** -1 while the device is open; else whether this stop waits for it (an emergency stop) or is given up. */
    private int unlessOpen(WriteGate.Kind kind) {
        ChannelState s = deviceState.get();
        if (s == ChannelState.OPEN) {
            return -1;
        }
        return kind == WriteGate.Kind.EMERGENCY_STOP && !s.isTerminal() ? PENDING : GIVEN_UP;
    }

    /** The device (re)opened: a pending emergency stop is written now. Any thread. */
    public void deviceOpened() {
        if (stopPending) {
            wake();
        }
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Tells the cycle its thread is being stopped: a stop still waiting for the gate is given up. */
    public void stopping() {
        stopping = true;
        wake();
    }

    /**
     * How the stop thread waits: parked until a request (or the device's reopening, for a pending emergency
     * stop) wakes it; at most 100 ms, 5 ms while an emergency stop waits for the device.
     */
    public IdleStrategy idle() {
        return new IdleStrategy() {
            @Override
            public void idle() {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(stopPending ? 5 : 100));
            }

            @Override
            public void reset() {
            }
        };
    }
}
