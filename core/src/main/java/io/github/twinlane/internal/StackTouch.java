package io.github.twinlane.internal;

/**
 * Faults in the first part of the calling thread's stack, so that a fast-lane thread does not take
 * page faults the first time its call depth grows in a control cycle. With memory locked the kernel
 * does this for new stacks itself; without it (the lock refused), this is what remains.
 *
 * <p>Threading: the calling thread's own stack. Allocates nothing.
 */
final class StackTouch {
    /** Frames to descend: about 256 KiB of an interpreted thread's stack. */
    private static final int DEPTH = 2_000;

    private StackTouch() {
    }

    /** Descends {@link #DEPTH} frames and returns. */
    static void touch() {
        if (descend(DEPTH, 1, 2, 3, 4) == 42) {
            Thread.onSpinWait(); // keeps the result alive: the descent cannot be optimised away
        }
    }

    private static long descend(int depth, long a, long b, long c, long d) {
        if (depth == 0) {
            return a ^ b ^ c ^ d;
        }
        return descend(depth - 1, a + d, b ^ a, c + b, d - c) + 1;
    }
}
