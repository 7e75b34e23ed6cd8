package io.github.twinlane.sim;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/** Blocking waits for simulated devices that end early when the device is closed. */
final class SimClock {
    private SimClock() {
    }

    /**
     * Parks until a deadline, like a native read waiting for data.
     *
     * @param deadlineNanos when to return
     * @param device the device, checked for close and unplug
     * @throws IOException if the device was closed or unplugged meanwhile
     */
    static void waitUntil(long deadlineNanos, SimDevice<?, ?> device) throws IOException {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            device.check();
            LockSupport.parkNanos(Math.min(left, 5_000_000L));
        }
        device.check();
    }

    /**
     * Parks while the device hangs, until released or closed.
     *
     * @param device the device
     * @throws IOException if closed meanwhile
     */
    static void hangWhile(SimDevice<?, ?> device) throws IOException {
        while (device.faults().hanging()) {
            if (device.isClosed() || Thread.currentThread().isInterrupted()) {
                throw new IOException("simulated: hung read aborted by close");
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }
}
