package io.github.twinlane.internal.safety;

/**
 * A channel's emergency-stop latch: once latched, {@code send} refuses every command and the writer
 * writes none, until released. Latching is the first thing an emergency stop does, before it waits for
 * the device, so nothing sent afterwards can reach the device before the stop.
 *
 * <p>Threading: any thread. Allocation-free; a latch or release is one volatile write.
 */
public final class EmergencyLatch {
    private volatile boolean latched;

    /** Latches. Any thread. */
    public void latch() {
        latched = true;
    }

    /**
     * Releases.
     *
     * @return whether it was latched
     */
    public boolean release() {
        boolean was = latched;
        latched = false;
        return was;
    }

    /** @return whether latched */
    public boolean latched() {
        return latched;
    }
}
