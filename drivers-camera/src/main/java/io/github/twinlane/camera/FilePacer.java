package io.github.twinlane.camera;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Plays a video file at its real pace, as a camera would deliver it: each packet waits until its
 * timestamp is due on the wall clock, and a looped file's clock keeps running across the jump back
 * to its start.
 *
 * <p>Threading: the camera's reader thread only. Allocates nothing.
 */
final class FilePacer {
    private static final long MAX_PARK_NANOS = 5_000_000L;
    private static final long FRAME_MICROS = 1_000_000L / 30;

    private long originNanos = Long.MIN_VALUE;
    private long originMicros;
    private long loopOffsetMicros;
    private long lastMicros;

    /** Starts over: the next packet plays at once and sets the clock. */
    void reset() {
        originNanos = Long.MIN_VALUE;
        loopOffsetMicros = 0;
    }

    /** The file jumped back to its start: later timestamps continue one frame after the last. */
    void looped() {
        loopOffsetMicros = lastMicros + FRAME_MICROS;
    }

    /**
     * Waits until a packet is due.
     *
     * @param ptsMicros its presentation time within the file
     * @param closed whether the driver was closed meanwhile (checked every 5 ms)
     * @param what the source, for the error
     * @throws IOException if closed while waiting
     */
    void pace(long ptsMicros, BooleanSupplier closed, String what) throws IOException {
        long t = loopOffsetMicros + ptsMicros;
        lastMicros = t;
        if (originNanos == Long.MIN_VALUE) {
            originNanos = System.nanoTime();
            originMicros = t;
        }
        long due = originNanos + (t - originMicros) * 1000;
        long now;
        while ((now = System.nanoTime()) - due < 0) {
            if (closed.getAsBoolean()) {
                throw new IOException(what + " closed");
            }
            LockSupport.parkNanos(Math.min(due - now, MAX_PARK_NANOS));
        }
    }
}
