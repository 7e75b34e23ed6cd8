package io.github.twinlane.internal;

import io.github.twinlane.cycle.IdleStrategy;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How a thread that reads a channel's device waits: while the device is down, until the next reopen
 * attempt (10 ms at a time, so a close is seen); while it is up, through {@code polling} for a driver
 * that never blocks, or not at all for one whose reads wait themselves. One per reading thread.
 */
final class ReopenIdle implements IdleStrategy {
    private static final long MAX_PARK_NANOS = 10_000_000L;
    private final LongSupplier nanosUntilOpenAttempt;
    private final IdleStrategy polling;

    /**
     * @param nanosUntilOpenAttempt 0 while the device is open, else the time until the next attempt
     * @param polling the wait between empty polls of a non-blocking driver; null for a blocking one
     */
    ReopenIdle(LongSupplier nanosUntilOpenAttempt, IdleStrategy polling) {
        this.nanosUntilOpenAttempt = nanosUntilOpenAttempt;
        this.polling = polling;
    }

    @Override
    public void idle() {
        long untilOpen = nanosUntilOpenAttempt.getAsLong();
        if (untilOpen > 0) {
            LockSupport.parkNanos(Math.min(untilOpen, MAX_PARK_NANOS));
        } else if (polling != null) {
            polling.idle();
        }
    }

    @Override
    public void reset() {
        if (polling != null) {
            polling.reset();
        }
    }
}
