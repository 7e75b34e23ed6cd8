package io.github.twinlane.aeron;

/** Lets a repeated warning through the first time and then at most once per interval. Not thread-safe. */
final class LogLimiter {
    private static final long INTERVAL_NANOS = 10_000_000_000L;
    private long last;
    private boolean ever;
    private long suppressed;

    /**
     * @return the number of occurrences since the last warning (at least 1) if one is due now, else 0
     */
    long due() {
        suppressed++;
        long now = System.nanoTime();
        if (!ever || now - last >= INTERVAL_NANOS) {
            ever = true;
            last = now;
            long n = suppressed;
            suppressed = 0;
            return n;
        }
        return 0;
    }
}
