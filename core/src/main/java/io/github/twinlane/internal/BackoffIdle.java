package io.github.twinlane.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Idles a polling thread without spinning: a few yields, then parks that double from 10 us to 1 ms.
 * Reset it whenever work is found. One instance per thread.
 */
public final class BackoffIdle {
    private static final long MIN_PARK = 10_000;
    private static final long MAX_PARK = 1_000_000;
    private int yields;
    private long park = MIN_PARK;

    /** Waits a little longer than last time. */
    public void idle() {
        if (yields < 10) {
            yields++;
            Thread.yield();
            return;
        }
        LockSupport.parkNanos(park);
        park = Math.min(park * 2, MAX_PARK);
    }

    /** Work was found: the next idle starts short again. */
    public void reset() {
        yields = 0;
        park = MIN_PARK;
    }
}
