package io.github.twinlane.spi;

/** How a driver's {@link DeviceDriver#read(Object)} behaves, which decides the threads it gets. */
public enum ReadMode {
    /**
     * {@code read} returns at once, with or without data. On the slow lane such a driver is polled
     * directly by a loop thread, so {@code open}, {@code read} and {@code write} must not block.
     */
    NON_BLOCKING,
    /**
     * {@code read} blocks in native code until data arrives or the driver's own timeout passes, like
     * a serial read with a timeout or an FFmpeg grab. Such a driver always gets a platform reader
     * thread of its own, on either lane; never a loop thread and never a virtual thread (a virtual
     * thread in a native call pins its carrier, JEP 444).
     */
    BLOCKING
}
