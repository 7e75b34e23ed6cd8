package io.github.twinlane.spi;

/**
 * Lets a repeated warning through the first time and then at most once per interval, counting the
 * ones it held back, so a device that fails a thousand times a second logs one line every ten seconds
 * that says how many failures it stands for.
 *
 * <pre>{@code
 * long n = corruptLog.due();
 * if (n > 0) {
 *     LOG.warn("{} corrupt frames from {} since the last warning", n, port);
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one instance per thread, or per call site guarded by the caller.
 * Allocates nothing.
 */
public final class LogLimiter {
    private static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;
    private final long intervalNanos;
    private long last;
    private boolean ever;
    private long suppressed;

    /** At most one warning every 10 s. */
    public LogLimiter() {
        this(DEFAULT_INTERVAL_NANOS);
    }

    /**
     * At most one warning per {@code intervalNanos}.
     *
     * @param intervalNanos the shortest time between two warnings, at least 1
     */
    public LogLimiter(long intervalNanos) {
        if (intervalNanos < 1) {
            throw new IllegalArgumentException("intervalNanos must be at least 1, was " + intervalNanos);
        }
        this.intervalNanos = intervalNanos;
    }

    /**
     * Records one occurrence.
     *
     * @return the occurrences since the last warning, this one included, if a warning is due now; else 0
     */
    public long due() {
        return due(System.nanoTime());
    }

    /**
     * Records one occurrence at {@code nowNanos}.
     *
     * @param nowNanos a {@link System#nanoTime()} reading
     * @return the occurrences since the last warning, this one included, if a warning is due now; else 0
     */
    public long due(long nowNanos) {
        suppressed++;
        if (!ever || nowNanos - last >= intervalNanos) {
            ever = true;
            last = nowNanos;
            long n = suppressed;
            suppressed = 0;
            return n;
        }
        return 0;
    }
}
