package io.github.twinlane.record;

/**
 * The time of the cycle being run: live, {@link System#nanoTime()} at the start of the cycle; in
 * replay, the recorded one. A controller that reads its time here (not from {@code System.nanoTime()})
 * computes exactly the same commands when replayed.
 */
@FunctionalInterface
public interface LoopClock {
    /** @return the current cycle's start, in {@link System#nanoTime()} units of the recording */
    long nowNanos();
}
