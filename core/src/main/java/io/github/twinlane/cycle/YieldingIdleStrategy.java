package io.github.twinlane.cycle;

/**
 * Yields the core to any other runnable thread, and comes back at once if there is none: low latency
 * while other work gets a turn, but still a full core of CPU time when the machine is idle.
 */
public final class YieldingIdleStrategy implements IdleStrategy {
    @Override
    public void idle() {
        Thread.yield();
    }

    @Override
    public void reset() {
    }
}
