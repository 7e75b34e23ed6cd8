package io.github.twinlane.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults to inject into a simulated device while it runs. Every setter may be called from any
 * thread at any time; the device reads them on its next read or write.
 */
public final class SimFaults {
    private volatile long extraLatencyNanos;
    private volatile long jitterNanos;
    private volatile boolean unplugged;
    private volatile boolean hang;
    private final AtomicInteger garbage = new AtomicInteger();
    private volatile int burst = 1;
    private volatile boolean split;
    private volatile boolean frozen;
    private volatile long staleNanos;

    /**
     * Adds a fixed delay to every read.
     *
     * @param latency the delay; zero to remove
     * @return this
     */
    public SimFaults latency(Duration latency) {
        extraLatencyNanos = latency.toNanos();
        return this;
    }

    /**
     * Adds a random delay from 0 to {@code jitter} to every read.
     *
     * @param jitter the bound; zero to remove
     * @return this
     */
    public SimFaults jitter(Duration jitter) {
        jitterNanos = jitter.toNanos();
        return this;
    }

    /**
     * Unplugs the device: reads and writes throw, and opening fails, until {@link #replug()}.
     *
     * @return this
     */
    public SimFaults unplug() {
        unplugged = true;
        return this;
    }

    /**
     * Plugs the device back in: the next open succeeds.
     *
     * @return this
     */
    public SimFaults replug() {
        unplugged = false;
        return this;
    }

    /**
     * Makes reads hang (like a native read on a dead link) until {@link #release()} or until the
     * driver is closed.
     *
     * @return this
     */
    public SimFaults hang() {
        hang = true;
        return this;
    }

    /**
     * Ends a {@link #hang()}.
     *
     * @return this
     */
    public SimFaults release() {
        hang = false;
        return this;
    }

    /**
     * Corrupts the next {@code count} messages, as line noise would: the driver rejects them.
     *
     * @param count how many
     * @return this
     */
    public SimFaults garbage(int count) {
        garbage.addAndGet(count);
        return this;
    }

    /**
     * Merges reads: messages arrive {@code n} at a time, back to back, then nothing for n periods
     * (what a USB-serial adapter's latency timer does to a stream).
     *
     * @param n messages per burst, 1 to stop
     * @return this
     */
    public SimFaults burst(int n) {
        burst = Math.max(1, n);
        return this;
    }

    /**
     * Splits reads: every message arrives in two reads, the first of which returns nothing (a frame
     * cut in half by the OS, as a serial read with a short timeout sees it).
     *
     * @param on whether reads are split
     * @return this
     */
    public SimFaults split(boolean on) {
        split = on;
        return this;
    }

    /**
     * Freezes a camera: it keeps delivering the same image with the same capture time.
     *
     * @param on whether frozen
     * @return this
     */
    public SimFaults freeze(boolean on) {
        frozen = on;
        return this;
    }

    /**
     * Makes a camera's frames arrive {@code age} after capture (a buffering stream).
     *
     * @param age the age; zero to remove
     * @return this
     */
    public SimFaults stale(Duration age) {
        staleNanos = age.toNanos();
        return this;
    }

    /**
     * Removes every fault.
     *
     * @return this
     */
    public SimFaults clear() {
        extraLatencyNanos = 0;
        jitterNanos = 0;
        unplugged = false;
        hang = false;
        garbage.set(0);
        burst = 1;
        split = false;
        frozen = false;
        staleNanos = 0;
        return this;
    }

    long extraDelayNanos(java.util.SplittableRandom random) {
        long j = jitterNanos;
        return extraLatencyNanos + (j > 0 ? random.nextLong(j) : 0);
    }

    boolean unplugged() {
        return unplugged;
    }

    boolean hanging() {
        return hang;
    }

    boolean takeGarbage() {
        int n;
        do {
            n = garbage.get();
            if (n <= 0) {
                return false;
            }
        } while (!garbage.compareAndSet(n, n - 1));
        return true;
    }

    int burst() {
        return burst;
    }

    boolean split() {
        return split;
    }

    boolean frozen() {
        return frozen;
    }

    long staleNanos() {
        return staleNanos;
    }
}
