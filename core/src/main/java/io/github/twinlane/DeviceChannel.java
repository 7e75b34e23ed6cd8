package io.github.twinlane;

/**
 * The handle an application holds for one device, the same on both lanes. Obtained from
 * {@link TwinlaneRuntime#open}; closed by {@link #close()} or with the runtime.
 *
 * <p>Threading: every method may be called from any thread. {@link #send} never blocks except
 * under {@link BackpressurePolicy#BLOCK}, where it waits at most the channel's block timeout.
 *
 * <pre>{@code
 * MotorCommand cmd = new MotorCommand();          // reused: send copies it
 * MotorTelemetry now = new MotorTelemetry();      // reused: latest copies into it
 * runtime.every(Duration.ofMillis(1), "control", cycle -> {
 *     if (drive.latest(now)) {
 *         cmd.velocity = controller.update(now.velocity);
 *         drive.send(cmd);
 *     }
 * });
 * }</pre>
 *
 * @param <C> the commands the device accepts
 * @param <T> the data the device produces
 */
public interface DeviceChannel<C, T> extends AutoCloseable {

    /**
     * The channel's name, from its configuration.
     *
     * @return the name
     */
    String name();

    /**
     * The lane the channel runs on.
     *
     * @return the lane
     */
    Lane lane();

    /**
     * The type of the device's data, as its driver declares it: what a recorder or a viewer uses to
     * pick an encoding ({@code dataType().newInstance().getClass()}) and to size what it buffers.
     *
     * @return the data's message type
     */
    MessageType<T> dataType();

    /**
     * The type of the commands the device takes, as its driver declares it.
     *
     * @return the commands' message type
     */
    MessageType<C> commandType();

    /**
     * Queues a command for the device. The command is copied into a preallocated slot, so the
     * caller may reuse its object at once and nothing is allocated. What happens when the queue is
     * full follows the channel's command policy; commands sent while the device is not open are
     * dropped (never replayed late). Every outcome other than {@link SendResult#ACCEPTED} is counted.
     *
     * @param command the command; read, not kept
     * @return what happened to it
     */
    SendResult send(C command);

    /**
     * Adds a handler for the device's data. Handlers run one after another on the lane's thread.
     * Values read before the handler was added are not replayed to it ({@link #latest} still has the
     * newest); to see the device's first value, pass the handler to
     * {@link TwinlaneRuntime#open(ChannelConfig, io.github.twinlane.spi.DeviceDriver, DataHandler)}.
     *
     * @param handler the handler
     * @return the subscription; close it to stop deliveries
     */
    Subscription subscribe(DataHandler<T> handler);

    /**
     * Observes this channel's data off the lane: every value the device produces, as read and stamped
     * with its receive time, is copied into the tap's own ring, and handed to {@code consumer} on the
     * tap's thread. Never changes what this channel's handlers get; a consumer that falls behind loses
     * values by the tap's policy, counted. See {@link Tap}.
     *
     * @param config the tap's name, ring size and policy
     * @param consumer called on the tap's thread with a reused value, valid during the call
     * @return the running tap; closes with the channel
     * @throws IllegalArgumentException if an argument is null
     * @throws IllegalStateException if the channel is closed or already has a tap of that name
     */
    Tap tapData(TapConfig config, DataHandler<T> consumer);

    /**
     * Observes the commands written to the device, each stamped with its send time, off the lane. As
     * {@link #tapData}.
     *
     * @param config the tap's name, ring size and policy
     * @param consumer called on the tap's thread with a reused command, valid during the call
     * @return the running tap; closes with the channel
     * @throws IllegalArgumentException if an argument is null
     * @throws IllegalStateException if the channel is closed or already has a tap of that name
     */
    Tap tapCommands(TapConfig config, DataHandler<C> consumer);

    /**
     * Copies the newest value the device produced into {@code into}, whatever the handlers are
     * doing. Never blocks for long, allocates nothing.
     *
     * <p>After the device is lost, and after {@link #close()}, this still returns the last value the
     * device produced, on purpose: a post-mortem can read what the device last said. It is not fresh:
     * check {@link #state()}, or {@link #fresh()} with a {@code maxDataAge}, before acting on it.
     *
     * @param into caller-owned storage, overwritten only when a value exists
     * @return true if a value was copied; false if the device has produced nothing yet
     */
    boolean latest(T into);

    /**
     * When the value {@link #latest} returns was read from the device.
     *
     * @return a {@link System#nanoTime()} value, or -1 if nothing was read yet
     */
    long latestNanos();

    /**
     * Stops the device now: latches, so that until {@link #releaseEmergencyStop()} {@code send} refuses
     * commands; discards every command queued before it (counted as dropped; they are not written after the
     * release either); and has the channel's stop thread write {@code stopCommand} around the command queue
     * (a full ring, a parked producer or a busy lane cannot hold it back; it waits at most for a write
     * already in progress).
     *
     * <p>Blocks at most twice the channel's {@link ChannelConfig#writeTimeout()}, even when a device write
     * is stuck: a write in progress longer than the write timeout fails the channel (a
     * {@link DeviceStuckException}) and closes its driver. Allocates nothing.
     *
     * @param stopCommand the command that stops the device; copied, not kept
     * @return true if the device took it; false if not (the device is not open, the write failed or did not
     *     finish within the bound; logged with the reason)
     */
    boolean emergencyStop(C stopCommand);

    /** Releases a latched emergency stop: {@code send} works again. Any thread. */
    void releaseEmergencyStop();

    /**
     * Arms the motor watchdog: if no command is sent for {@code feedTimeout} (a stalled loop, an
     * exception, a long GC pause), the runtime's supervisor writes the safe command itself, logs and
     * counts it; the next {@code send} re-arms it. The safe command is also written when the channel
     * closes and at JVM shutdown. Call again to change it.
     *
     * @param feedTimeout the longest gap between commands, 1 ms to 60 s
     * @param safeCommand fills the safe command (e.g. zero velocity); called once, now
     */
    void watchdog(java.time.Duration feedTimeout, java.util.function.Consumer<C> safeCommand);

    /**
     * Whether the newest data is within the channel's {@code maxDataAge} (always true without one).
     * Any thread; allocation-free.
     *
     * @return true if fresh
     */
    boolean fresh();

    /**
     * Adds a listener for the stale-input interlock (needs {@code maxDataAge}): called when data goes
     * stale and when it recovers.
     *
     * @param listener the listener
     * @return a subscription that removes it
     */
    Subscription onFreshness(FreshnessListener listener);

    /**
     * Adds a listener for this channel's safety events: an emergency stop latching or released, the
     * watchdog tripping. It is called for events after this call, on the thread that acted: the
     * channel's stop thread ({@code twinlane-<lane>-<channel>-stops}) for a stop or a trip, before
     * {@code emergencyStop} returns; the releasing thread for a release. It must not block.
     *
     * @param listener the listener
     * @return a subscription that removes it
     */
    Subscription onSafetyEvent(SafetyListener listener);

    /**
     * The current lifecycle state.
     *
     * @return the state
     */
    ChannelState state();

    /**
     * Adds a listener for state transitions. It is called for transitions after this call.
     *
     * @param listener the listener
     * @return a subscription that removes it
     */
    Subscription onStateChange(StateListener listener);

    /**
     * A snapshot of the counters.
     *
     * @return the statistics; allocates
     */
    ChannelStats stats();

    /**
     * Closes the device and stops the channel's threads, within the runtime's close timeout, even when a
     * device write or read is stuck (the driver's close unblocks it). Before that, if a watchdog is armed
     * and no emergency stop is latched, the safe command is written (waiting at most half the close
     * timeout, and twice the write timeout); no command queued before it is written after it. Idempotent.
     * Values still queued are counted as dropped.
     */
    @Override
    void close();
}
