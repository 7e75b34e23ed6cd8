package io.github.twinlane.cycle;

/**
 * Never gives the core up: {@link Thread#onSpinWait()} and straight back to work. The lowest wake-up
 * latency, paid for with a whole core. Use it only on a core the CPU plan reserves for the thread,
 * and for at most one thread per core: on a shared core it starves whatever else must run there.
 */
public final class BusySpinIdleStrategy implements IdleStrategy {
    @Override
    public void idle() {
        Thread.onSpinWait();
    }

    @Override
    public void reset() {
    }
}
