package io.github.twinlane.internal;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.Durations;
import io.github.twinlane.NoCommand;
import io.github.twinlane.StateListener;
import io.github.twinlane.Subscription;
import io.github.twinlane.spi.DeviceDriver;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/**
 * A channel's state machine: OPENING, OPEN, RECONNECTING, CLOSED, FAILED, its listeners, and the
 * open / lose / reopen-with-backoff steps that move it, with the driver's open and close they need.
 *
 * <p>Threading: {@link #tryOpen} from the channel's one reading thread; {@link #deviceLost} from any
 * lane thread of the channel; {@link #closed} once, from the closing thread; the rest from any thread.
 * Opening and losing the device are serialised, so a writer that failed and was then descheduled
 * cannot close a device the reader has just reopened.
 */
final class ChannelLifecycle {
    private final String name;
    private final ChannelConfig config;
    private final DeviceDriver<?, ?> driver;
    private final Logger log;
    private final AtomicLong reconnects;
    private final AtomicLong driverErrors;
    private final BooleanSupplier closing;
    private final Runnable opened;
    private final AtomicReference<ChannelState> state = new AtomicReference<>(ChannelState.OPENING);
    private final CopyOnWriteArrayList<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile long nextOpenAttemptNanos;
    private volatile int failures;
    private volatile boolean everOpened;

    /**
     * @param opened called on the opening thread each time the device (re)opens (the CPU plan moves
     *     threads its library started)
     */
    ChannelLifecycle(String name, ChannelConfig config, DeviceDriver<?, ?> driver, Logger log, AtomicLong reconnects,
                     AtomicLong driverErrors, BooleanSupplier closing, Runnable opened) {
        this.name = name;
        this.config = config;
        this.driver = driver;
        this.log = log;
        this.reconnects = reconnects;
        this.driverErrors = driverErrors;
        this.closing = closing;
        this.opened = opened;
    }

    ChannelState state() {
        return state.get();
    }

    Subscription onStateChange(StateListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** True when the next open attempt is due (or the device is open). */
    boolean openAttemptDue(long nowNanos) {
        return nowNanos - nextOpenAttemptNanos >= 0;
    }

    /** 0 while open, else the time until the next open attempt; "never" once failed or closed (no attempt follows). */
    long nanosUntilOpenAttempt() {
        ChannelState s = state.get();
        if (s == ChannelState.OPEN) {
            return 0;
        }
        if (s.isTerminal()) {
            return Long.MAX_VALUE; // a reader of a failed channel waits for its close, it does not spin
        }
        return Math.max(0, nextOpenAttemptNanos - System.nanoTime());
    }

    /**
     * Opens the device: OPEN on success; on failure, RECONNECTING with the next attempt after the
     * backoff, or FAILED after {@code maxReconnectAttempts}.
     *
     * @param from the state the reader saw
     * @return true if the device is now open
     */
    boolean tryOpen(ChannelState from) {
        synchronized (lock) {
            try {
                driver.open();
            } catch (Throwable t) {
                return openFailed(from, t);
            }
            // counted before OPEN is visible: whoever sees the channel open again sees the reconnect counted
            if (everOpened) {
                reconnects.incrementAndGet();
            }
            if (closing.getAsBoolean() || !transition(state.get(), ChannelState.OPEN, null)) {
                if (everOpened) {
                    reconnects.decrementAndGet(); // it never reopened
                }
                closeDriver(); // what its close throws must not undo the decision
                return false;
            }
            failures = 0;
            opened.run();
            if (everOpened) {
                log.info("Channel '{}' reopened {}", name, driver.describe());
            }
            everOpened = true;
            return true;
        }
    }

    private boolean openFailed(ChannelState from, Throwable t) {
        int n = ++failures;
        int max = config.maxReconnectAttempts();
        if (max > 0 && n >= max) {
            closeDriver();
            log.error("Channel '{}' gave up on {} after {} failed attempts: {}. Check the device and "
                    + "its path, then open the channel again.", name, driver.describe(), n, t.toString());
            transition(from, ChannelState.FAILED, t);
            return false;
        }
        nextOpenAttemptNanos = System.nanoTime() + config.backoff().delayNanos(n - 1);
        if (n == 1) {
            log.warn("Channel '{}' could not open {}: {}. Retrying with backoff ({} to {}).", name,
                    driver.describe(), t.toString(), Durations.human(config.backoff().initial()),
                    Durations.human(config.backoff().max()));
            if (from == ChannelState.OPENING) {
                transition(from, ChannelState.RECONNECTING, t);
            }
        }
        return false;
    }

    /**
     * The device failed: move to RECONNECTING (once), close the driver so a blocked read returns,
     * and schedule the reopen.
     *
     * @param cause the failure
     */
    void deviceLost(Throwable cause) {
        driverErrors.incrementAndGet();
        boolean lost;
        synchronized (lock) {
            if (state.get() != ChannelState.OPEN) {
                return;
            }
            failures = 0;
            nextOpenAttemptNanos = System.nanoTime() + config.backoff().delayNanos(0);
            closeDriver();
            lost = transition(ChannelState.OPEN, ChannelState.RECONNECTING, cause);
        }
        if (lost) {
            log.warn("Channel '{}' lost {}: {}. Reconnecting with backoff{}", name, driver.describe(),
                    cause.toString(), driver.commandType() == NoCommand.TYPE ? "."
                            : "; commands sent meanwhile are dropped and counted.");
        }
    }

    /**
     * The device is stuck (a write that never returned): move to FAILED from whatever state is not
     * terminal, logging the cause once. Serialised with opening and losing the device, so a reopen cannot
     * race it. The caller closes the driver (off its own thread if it must not block).
     *
     * @param cause names the device and the write
     * @return true if this call failed the channel
     */
    boolean fail(Throwable cause) {
        driverErrors.incrementAndGet();
        boolean failed;
        synchronized (lock) {
            ChannelState from = state.get();
            failed = !from.isTerminal() && transition(from, ChannelState.FAILED, cause);
        }
        if (failed) {
            log.error("Channel '{}' FAILED: {}", name, cause.getMessage());
        }
        return failed;
    }

    /** Moves to CLOSED from whatever state, telling the listeners once. */
    void closed() {
        ChannelState prev = state.getAndSet(ChannelState.CLOSED);
        if (prev != ChannelState.CLOSED) {
            fire(prev, ChannelState.CLOSED, null);
        }
    }

    /** Closes the driver, logging (never throwing) what its close throws. */
    void closeDriver() {
        try {
            driver.close();
        } catch (Throwable t) {
            log.warn("Driver {} of channel '{}' threw from close(): {}", driver.describe(), name, t.toString());
        }
    }

    private boolean transition(ChannelState from, ChannelState to, Throwable cause) {
        if (from == to || from.isTerminal() || !state.compareAndSet(from, to)) {
            return false;
        }
        fire(from, to, cause);
        return true;
    }

    private void fire(ChannelState from, ChannelState to, Throwable cause) {
        for (StateListener l : listeners) {
            try {
                l.onStateChange(name, from, to, cause);
            } catch (Throwable t) {
                log.warn("State listener of channel '{}' threw; ignored: {}", name, t.toString());
            }
        }
    }
}
