package io.github.twinlane;

/**
 * Where a fast channel's duty cycles (reader, dispatcher, writer) run. Set with
 * {@link ChannelConfig.FastBuilder#placement(Placement)}; slow channels are always placed by the
 * {@link ConcurrentScheduler}.
 */
public enum Placement {
    /**
     * The lane's scheduler gives each duty cycle a thread of its own: the reader blocks in the
     * device, the dispatcher and writer wait on their rings. Works with every driver; the device's
     * values reach a control loop through a ring hand-off. The default.
     */
    SCHEDULER,
    /**
     * The channel starts no thread: the periodic loop that drives it
     * ({@link TwinlaneRuntime#every(LoopConfig, LoopTask, DeviceChannel...)}) reads the device, runs the
     * handlers, runs its task and writes the commands the task sent, in that order, on its one thread
     * each cycle, with no hand-off between threads (the read / update / write cycle of ros2_control's
     * controller manager). The driver must read without blocking ({@link io.github.twinlane.spi.ReadMode#NON_BLOCKING});
     * opening and reopening the device also run on the loop's thread, between cycles. Commands sent
     * from other threads are written at the end of the loop's next cycle; emergency and safe stops are
     * written at once, from the calling thread, as on every channel.
     */
    IN_LOOP
}
