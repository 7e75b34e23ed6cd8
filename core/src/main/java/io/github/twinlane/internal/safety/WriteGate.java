package io.github.twinlane.internal.safety;

import io.github.twinlane.spi.DeviceDriver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one gate every write to a channel's device goes through: ordinary commands from the channel's
 * writer, and stops (an emergency stop, the watchdog's safe command, the safe command at close) from
 * the channel's {@link StopWriter}.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li><b>One write at a time</b>, so a driver's {@code write} is never called concurrently.</li>
 *   <li><b>A stop waits for at most the write in progress</b>: the writer holds the gate across a batch
 *       but hands it over between two writes when a stop is waiting (the lock is fair).</li>
 *   <li><b>A stop supersedes what was sent before it</b>: each command carries the gate's
 *       {@linkplain #epoch() epoch} read when it was sent; a stop advances the epoch before it writes
 *       (and again under the gate), and the writer, under the gate, writes only commands of the current
 *       epoch. So a
 *       command sent before a stop is written before it or never, never after it.</li>
 *   <li><b>After {@link #seal()} no ordinary command is written at all</b> (the channel is closing), and
 *       while the {@link EmergencyLatch} is latched none is either.</li>
 *   <li><b>A stuck write can be seen</b>: {@link #writeInProgressNanos} tells how long the write in
 *       progress has taken, so the supervisor can fail the channel and close the driver to unblock it.</li>
 * </ul>
 *
 * <p>Threading: {@link #writeInBatch} and {@link #endBatch} from the channel's one writer thread (or the
 * loop driving it); {@link #acquire}, {@link #writeStop}, {@link #release} from the stop writer's thread;
 * {@link #epoch}, {@link #seal} and the queries from any thread. Allocation-free.
 *
 * @param <C> command type
 */
public final class WriteGate<C> {
    /** What a write in progress is writing, for the error that names a stuck write. */
    public enum Kind {
        /** An ordinary command from {@code send}. */
        COMMAND,
        /** The watchdog's safe command, or the safe command at close. */
        SAFE_COMMAND,
        /** An emergency stop. */
        EMERGENCY_STOP;

        /** @return how the write reads in a sentence */
        public String describe() {
            return switch (this) {
                case COMMAND -> "a command";
                case SAFE_COMMAND -> "the safe command";
                case EMERGENCY_STOP -> "the emergency stop";
            };
        }
    }

    private static final long IDLE = Long.MIN_VALUE;
    private final DeviceDriver<C, ?> driver;
    private final EmergencyLatch latch;
    // fair: a stop waiting for the gate gets it before the writer takes it back
    private final ReentrantLock lock = new ReentrantLock(true);
    private boolean batchHeld; // the writer thread only
    private final AtomicLong epoch = new AtomicLong();
    private volatile boolean sealed;
    private final AtomicLong writingSince = new AtomicLong(IDLE);
    private volatile Kind writing = Kind.COMMAND;

    /**
     * Creates the gate.
     *
     * @param driver the device
     * @param latch the channel's emergency latch: while latched no ordinary command is written
     */
    public WriteGate(DeviceDriver<C, ?> driver, EmergencyLatch latch) {
        this.driver = driver;
        this.latch = latch;
    }

    /**
     * The epoch a command sent now belongs to. Any thread; one volatile read.
     *
     * @return the epoch
     */
    public long epoch() {
        return epoch.get();
    }

    /**
     * Writes one command of the writer's batch, unless a stop superseded it. The gate is taken at the
     * batch's first write and kept until {@link #endBatch()} (one lock per batch, not per command), and
     * handed over before a further write when a stop is waiting. Writer thread only.
     *
     * @param command the command
     * @param commandEpoch the {@link #epoch()} it was sent in
     * @return true if written; false if superseded by a stop, sealed, or latched (not written)
     * @throws IOException whatever the driver's write throws
     */
    public boolean writeInBatch(C command, long commandEpoch) throws IOException {
        if (!batchHeld) {
            lock.lock();
            batchHeld = true;
        } else if (lock.hasQueuedThreads()) {
            lock.unlock(); // a stop is waiting: the fair lock lets it in before we take it back
            lock.lock();
        }
        if (sealed || latch.latched() || commandEpoch != epoch.get()) {
            return false;
        }
        write(command, Kind.COMMAND);
        return true;
    }

    /** Ends the writer's batch: releases the gate if a write took it. Always, after every batch. */
    public void endBatch() {
        if (batchHeld) {
            batchHeld = false;
            lock.unlock();
        }
    }

    /**
     * Takes the gate for a stop, waiting at most for the write in progress. Stop writer only.
     *
     * @param timeoutNanos the longest wait
     * @return true if taken (then {@link #release()} it)
     * @throws InterruptedException if interrupted while waiting (the channel is closing)
     */
    public boolean acquire(long timeoutNanos) throws InterruptedException {
        return lock.tryLock(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Supersedes every command sent so far, then writes the stop. The caller holds the gate.
     *
     * @param stop the stop
     * @param kind what it is
     * @throws IOException whatever the driver's write throws
     */
    public void writeStop(C stop, Kind kind) throws IOException {
        supersede();
        write(stop, kind);
    }

    /**
     * Supersedes every command sent so far: the writer will write none of them (any thread, without the
     * gate: a write that already passed its check holds the gate, so the stop that follows still comes
     * after it).
     */
    public void supersede() {
        epoch.incrementAndGet();
    }

    /** Releases the gate taken by {@link #acquire}. */
    public void release() {
        lock.unlock();
    }

    /** No ordinary command is written after this (the channel is closing). Any thread. */
    public void seal() {
        sealed = true;
    }

    /** @return whether sealed */
    public boolean sealed() {
        return sealed;
    }

    private void write(C command, Kind kind) throws IOException {
        writing = kind;
        writingSince.set(System.nanoTime());
        try {
            driver.write(command);
        } finally {
            writingSince.lazySet(IDLE);
        }
    }

    /**
     * How long the write in progress has taken. Any thread.
     *
     * @param nowNanos the time
     * @return nanoseconds, or -1 when no write is in progress
     */
    public long writeInProgressNanos(long nowNanos) {
        long since = writingSince.get();
        return since == IDLE ? -1 : Math.max(0, nowNanos - since);
    }

    /** @return what the write in progress (or the last one) writes */
    public Kind writing() {
        return writing;
    }
}
