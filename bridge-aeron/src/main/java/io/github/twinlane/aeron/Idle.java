package io.github.twinlane.aeron;

import java.util.concurrent.locks.LockSupport;

/**
 * How a bridge thread waits when a poll found nothing: parks that double from 1 us to
 * {@link AeronBridge#MAX_IDLE_PARK_NANOS}, and start short again after work. An unpark (a command
 * queued for the thread) ends a park at once. Never spins. One instance per thread.
 */
final class Idle {
    private long parkNanos = 1_000;

    /** A poll found nothing: park a little longer than last time. */
    void idle() {
        LockSupport.parkNanos(parkNanos);
        parkNanos = Math.min(parkNanos * 2, AeronBridge.MAX_IDLE_PARK_NANOS);
    }

    /** A poll found work. */
    void reset() {
        parkNanos = 1_000;
    }
}
