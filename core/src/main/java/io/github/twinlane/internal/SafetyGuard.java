package io.github.twinlane.internal;

import io.github.twinlane.FreshnessListener;
import io.github.twinlane.SafetyEvent;
import io.github.twinlane.SafetyListener;
import io.github.twinlane.MessageType;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's safety: the one lock every device write goes through (so an emergency stop waits at
 * most one write, never a queue), the latching emergency stop, the motor watchdog, and the
 * stale-input interlock. The watchdog and the interlock are checked by the runtime's supervisor.
 *
 * @param <C> command type
 */
public final class SafetyGuard<C> {
    private static final Logger LOG = LoggerFactory.getLogger("io.github.twinlane.safety");

    private final String channel;
    private final DeviceDriver<C, ?> driver;
    private final MessageType<C> commandType;
    // fair: a safety write waiting for it gets it before the writer takes it back
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private boolean batchHeld; // the writer thread only
    private final AtomicLong watchdogTrips = new AtomicLong();
    private final AtomicLong emergencyStops = new AtomicLong();
    private final AtomicLong stoppedCommands = new AtomicLong();
    private final CopyOnWriteArrayList<FreshnessListener> freshness = new CopyOnWriteArrayList<>();
    private final SnapshotArray<SafetyListener> safetyListeners = new SnapshotArray<>(SafetyListener[]::new);
    private volatile boolean latched;
    // written by every send: a release store (AtomicLong.lazySet), not a volatile write, whose full fence
    // would be the most expensive instruction of a send; the supervisor reads it at most a few µs late
    private final AtomicLong lastFeedNanos = new AtomicLong(System.nanoTime());
    private volatile long feedTimeoutNanos;
    private volatile C safeCommand;
    private volatile boolean tripped;
    private final long maxAgeNanos;
    private final long openedNanos = System.nanoTime();
    private volatile boolean stale;

    /**
     * Creates the guard.
     *
     * @param channel the channel's name
     * @param driver the device
     * @param maxDataAge the stale-input limit, or zero for none
     */
    public SafetyGuard(String channel, DeviceDriver<C, ?> driver, Duration maxDataAge) {
        this.channel = channel;
        this.driver = driver;
        this.commandType = driver.commandType();
        this.maxAgeNanos = maxDataAge.toNanos();
    }

    /**
     * Writes one command under the write lock, from a thread that is not the channel's writer: an
     * emergency stop, a watchdog's safe command, the safe command at close. Waits at most for the
     * writer's current device write (the lock is fair and the writer yields it between writes).
     *
     * @param command the command
     * @throws Exception whatever the driver throws
     */
    void write(C command) throws Exception {
        writeLock.lock();
        try {
            driver.write(command);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes one command of the writer's batch. The lock is taken at the batch's first write and kept
     * until {@link #endBatch()}, so a batch pays one lock, not one per command; before each further
     * write the writer hands the lock over if a safety write is waiting for it, so an emergency stop
     * waits for one device write at most. The channel's writer thread only (or its loop's).
     *
     * <p>The latch is checked under the lock: an emergency stop latches before it takes the lock, so
     * every command is either written before the stop or not at all, never after it.
     *
     * @param command the command
     * @return false if an emergency stop is latched and the command was not written
     * @throws Exception whatever the driver throws
     */
    boolean writeInBatch(C command) throws Exception {
        if (!batchHeld) {
            writeLock.lock();
            batchHeld = true;
        } else if (writeLock.hasQueuedThreads()) {
            writeLock.unlock(); // a stop is waiting: the fair lock lets it in before we take it back
            writeLock.lock();
        }
        if (latched) {
            return false;
        }
        driver.write(command);
        return true;
    }

    /** Ends the writer's batch: releases the lock if a write took it. Always, after every poll. */
    void endBatch() {
        if (batchHeld) {
            batchHeld = false;
            writeLock.unlock();
        }
    }

    /** @return whether an emergency stop is latched */
    boolean latched() {
        return latched;
    }

    /** Counts a command dropped because an emergency stop is latched. */
    void countStopped() {
        stoppedCommands.incrementAndGet();
    }

    /** The application sent a command: feeds the watchdog. Allocation-free, one release store, no fence. */
    void feed(long nowNanos) {
        lastFeedNanos.lazySet(nowNanos);
        if (tripped) {
            tripped = false;
        }
    }

    /**
     * Latches the emergency stop and writes {@code stop} to the device now, from the calling thread,
     * bypassing the command queue.
     *
     * @param stop the stop command
     * @throws Exception whatever the driver throws
     */
    /** Latches the emergency stop without writing (the device is not open). */
    void latch() {
        latched = true;
    }

    void emergencyStop(C stop) throws Exception {
        latched = true;
        emergencyStops.incrementAndGet();
        try {
            write(stop);
        } catch (Exception | Error e) {
            tell(SafetyEvent.EMERGENCY_STOP, "latched, but the stop command could not be written to "
                    + driver.describe() + ": " + e);
            throw e;
        }
        LOG.warn("Channel '{}': EMERGENCY STOP written to {}; commands are refused until released", channel,
                driver.describe());
        tell(SafetyEvent.EMERGENCY_STOP, "latched; the stop command was written to " + driver.describe());
    }

    /** The listeners. */
    SnapshotArray<SafetyListener> safetyListeners() {
        return safetyListeners;
    }

    /** Tells every safety listener, on this thread; what they throw is logged. */
    void tell(SafetyEvent event, String detail) {
        for (SafetyListener l : safetyListeners.get()) {
            try {
                l.onSafetyEvent(channel, event, detail);
            } catch (Throwable t) {
                LOG.warn("Safety listener of channel '{}' threw; ignored: {}", channel, t.toString());
            }
        }
    }

    /** Releases a latched emergency stop. */
    void release() {
        if (latched) {
            latched = false;
            lastFeedNanos.set(System.nanoTime());
            LOG.info("Channel '{}': emergency stop released", channel);
            tell(SafetyEvent.EMERGENCY_STOP_RELEASED, "released; commands are accepted again");
        }
    }

    /**
     * Arms the watchdog.
     *
     * @param feedTimeout the longest gap between commands, 1 ms to 60 s
     * @param fill fills the safe command
     */
    void arm(Duration feedTimeout, Consumer<C> fill) {
        if (feedTimeout == null || feedTimeout.toMillis() < 1 || feedTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("feedTimeout must be from 1 ms to 60 s, was " + io.github.twinlane.Durations.human(feedTimeout));
        }
        C safe = commandType.newInstance();
        fill.accept(safe);
        safeCommand = safe;
        lastFeedNanos.set(System.nanoTime());
        feedTimeoutNanos = feedTimeout.toNanos();
    }

    /** @return whether the watchdog is armed (a send must then carry the time) */
    boolean armed() {
        return feedTimeoutNanos > 0;
    }

    /** @return the supervisor's check interval this guard needs, or 0 when nothing is armed */
    long checkIntervalNanos() {
        long w = feedTimeoutNanos;
        long a = maxAgeNanos;
        long shortest = w == 0 ? a : a == 0 ? w : Math.min(w, a);
        return shortest == 0 ? 0 : Math.max(TimeUnit.MILLISECONDS.toNanos(1), shortest / 4);
    }

    /**
     * The supervisor's check: trips the watchdog, tracks freshness.
     *
     * @param nowNanos the time
     * @param deviceOpen whether the device is open (a safe command can only be written then)
     * @param latestDataNanos the newest value's time, or -1
     * @return true if the watchdog tripped the device has to be told about (the caller writes it)
     */
    boolean check(long nowNanos, boolean deviceOpen, long latestDataNanos) {
        if (maxAgeNanos > 0) {
            long age = nowNanos - (latestDataNanos < 0 ? openedNanos : latestDataNanos);
            boolean nowStale = age > maxAgeNanos;
            if (nowStale != stale) {
                stale = nowStale;
                if (nowStale) {
                    LOG.warn("Channel '{}': data is stale ({} old, limit {})", channel, age / 1_000_000 + " ms",
                            maxAgeNanos / 1_000_000 + " ms");
                } else {
                    LOG.info("Channel '{}': data is fresh again", channel);
                }
                for (FreshnessListener l : freshness) {
                    try {
                        l.onFreshness(channel, !nowStale, age);
                    } catch (Throwable t) {
                        LOG.warn("Freshness listener of channel '{}' threw; ignored: {}", channel, t.toString());
                    }
                }
            }
        }
        long timeout = feedTimeoutNanos;
        if (timeout > 0 && !tripped && !latched && deviceOpen && nowNanos - lastFeedNanos.get() > timeout) {
            tripped = true;
            return true;
        }
        return false;
    }

    /**
     * Writes the safe command (watchdog trip, close, shutdown) if one is armed.
     *
     * @param why for the log
     * @return true if written
     */
    boolean writeSafe(String why) {
        C safe = safeCommand;
        if (safe == null) {
            return false;
        }
        try {
            write(safe);
            watchdogTrips.incrementAndGet();
            LOG.warn("Channel '{}': safe command written to {} ({})", channel, driver.describe(), why);
            return true;
        } catch (Throwable t) {
            LOG.error("Channel '{}': could not write the safe command to {} ({}): {}", channel, driver.describe(), why,
                    t.toString());
            return false;
        }
    }

    /** @return whether the newest data is within the age limit (always true without a limit) */
    boolean fresh(long nowNanos, long latestDataNanos) {
        return maxAgeNanos == 0 || latestDataNanos >= 0 && nowNanos - latestDataNanos <= maxAgeNanos;
    }

    CopyOnWriteArrayList<FreshnessListener> freshnessListeners() {
        return freshness;
    }

    /** @return safe commands written (watchdog trips, closes, shutdowns) */
    long safeStops() {
        return watchdogTrips.get();
    }

    /** @return emergency stops */
    long emergencyStops() {
        return emergencyStops.get();
    }

    /** @return commands refused or dropped while an emergency stop was latched */
    long stoppedCommands() {
        return stoppedCommands.get();
    }
}
