package io.github.twinlane.aeron;

import java.time.Instant;

/**
 * Converts {@link System#nanoTime()} stamps to wall-clock nanoseconds since the epoch and back, so
 * a timestamp survives the trip to another process. Calibrated once, when this class loads, from
 * {@link Instant#now()} (microsecond resolution on Linux).
 *
 * <p>Between processes on one machine the round trip is exact to within the two calibrations, a few
 * microseconds. Between machines it is as good as their clock synchronisation (NTP: around a
 * millisecond; PTP: microseconds): frame ages measured across machines inherit that error.
 *
 * <p>Thread-safe; allocation-free.
 */
public final class WallClock {
    private static final long OFFSET;

    static {
        Instant now = Instant.now();
        long mono = System.nanoTime();
        OFFSET = now.getEpochSecond() * 1_000_000_000L + now.getNano() - mono;
    }

    private WallClock() {
    }

    /**
     * A local stamp as epoch nanoseconds.
     *
     * @param nanoTime a {@link System#nanoTime()} value
     * @return nanoseconds since 1970-01-01T00:00Z
     */
    public static long toEpochNanos(long nanoTime) {
        return nanoTime + OFFSET;
    }

    /**
     * Epoch nanoseconds as a local {@link System#nanoTime()} stamp.
     *
     * @param epochNanos nanoseconds since the epoch
     * @return the matching {@code nanoTime} value
     */
    public static long fromEpochNanos(long epochNanos) {
        return epochNanos - OFFSET;
    }
}
