package io.github.twinlane.cycle;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins a few times, then yields a few times, then parks for a time that doubles from a minimum to a
 * maximum: near-spin latency right after work, near-zero CPU when the device is quiet. What every
 * polling thread of twinlane uses unless told otherwise.
 *
 * <p>{@link #polling()} is the default for threads that poll a device (no spins, 10 yields, parks from
 * 10 µs to 1 ms); {@link #of} builds any other shape.
 */
public final class BackoffIdleStrategy implements IdleStrategy {
    private final int maxSpins;
    private final int maxYields;
    private final long minParkNanos;
    private final long maxParkNanos;
    private int spins;
    private int yields;
    private long parkNanos;

    private BackoffIdleStrategy(int maxSpins, int maxYields, long minParkNanos, long maxParkNanos) {
        this.maxSpins = maxSpins;
        this.maxYields = maxYields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
        this.parkNanos = minParkNanos;
    }

    /**
     * A backoff of the given shape.
     *
     * @param spins {@link Thread#onSpinWait()} calls first, 0 to 10,000 (0 where the thread shares its core)
     * @param yields {@link Thread#yield()} calls next, 0 to 10,000
     * @param minPark the first park, from 1 µs
     * @param maxPark the longest park, from {@code minPark} to 1 s
     * @return a new strategy, for one thread
     * @throws IllegalArgumentException naming the first value out of range
     */
    public static BackoffIdleStrategy of(int spins, int yields, Duration minPark, Duration maxPark) {
        if (spins < 0 || spins > 10_000) {
            throw new IllegalArgumentException("spins must be from 0 to 10000, was " + spins);
        }
        if (yields < 0 || yields > 10_000) {
            throw new IllegalArgumentException("yields must be from 0 to 10000, was " + yields);
        }
        if (minPark == null || minPark.toNanos() < 1_000 || minPark.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("minPark must be from 1 µs to 1 s, was "
                    + io.github.twinlane.Durations.human(minPark));
        }
        if (maxPark == null || maxPark.compareTo(minPark) < 0 || maxPark.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxPark must be from minPark (" + io.github.twinlane.Durations.human(minPark)
                    + ") to 1 s, was " + io.github.twinlane.Durations.human(maxPark));
        }
        return new BackoffIdleStrategy(spins, yields, minPark.toNanos(), maxPark.toNanos());
    }

    /**
     * The default for a thread that polls a device on a shared core: no spins, 10 yields, parks
     * doubling from 10 µs to 1 ms.
     *
     * @return a new strategy, for one thread
     */
    public static BackoffIdleStrategy polling() {
        return new BackoffIdleStrategy(0, 10, 10_000, 1_000_000);
    }

    @Override
    public void idle() {
        if (spins < maxSpins) {
            spins++;
            Thread.onSpinWait();
        } else if (yields < maxYields) {
            yields++;
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(parkNanos * 2, maxParkNanos);
        }
    }

    @Override
    public void reset() {
        spins = 0;
        yields = 0;
        parkNanos = minParkNanos;
    }

    /** The park the next idle would use once spins and yields are spent. For tests and diagnostics. */
    public long nextParkNanos() {
        return parkNanos;
    }
}
