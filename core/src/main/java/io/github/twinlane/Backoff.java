package io.github.twinlane;

import java.time.Duration;

/**
 * Exponential backoff between reopen attempts: {@code initial}, doubled each failure, capped at
 * {@code max}.
 *
 * @param initial the first delay; at least 1 ms
 * @param max the largest delay; at least {@code initial}
 */
public record Backoff(Duration initial, Duration max) {

    /** 50 ms doubling up to 2 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and the allowed range
     */
    public Backoff {
        if (initial == null || initial.toMillis() < 1) {
            throw new IllegalArgumentException("backoff.initial must be at least 1 ms, was " + Durations.human(initial));
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "backoff.max must be at least backoff.initial (" + Durations.human(initial) + "), was "
                    + Durations.human(max));
        }
    }

    /**
     * The delay before attempt {@code failures + 1}.
     *
     * @param failures how many attempts failed in a row, from 0
     * @return the delay in nanoseconds
     */
    public long delayNanos(int failures) {
        long d = initial.toNanos();
        long cap = max.toNanos();
        for (int i = 0; i < failures && d < cap; i++) {
            d <<= 1;
        }
        return Math.min(d, cap);
    }
}
