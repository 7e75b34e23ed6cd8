package io.github.twinlane;

import java.util.Locale;

/**
 * Percentiles of one latency distribution, in nanoseconds.
 *
 * @param count samples
 * @param p50 median
 * @param p99 99th percentile
 * @param p999 99.9th percentile
 * @param max largest sample
 */
public record LatencySummary(long count, long p50, long p99, long p999, long max) {

    /** No samples. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

    /**
     * Formats nanoseconds for people: {@code 850ns}, {@code 42.1us}, {@code 3.20ms}, {@code 1.50s}.
     *
     * @param nanos the duration
     * @return the text
     */
    public static String human(long nanos) {
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    @Override
    public String toString() {
        return count == 0 ? "n/a" : "p50 " + human(p50) + " p99 " + human(p99) + " p99.9 "
                + human(p999) + " max " + human(max);
    }
}
