package io.github.twinlane.spi;

import io.github.twinlane.MessageType;
import java.io.IOException;

/**
 * What a driver module implements to make a device a {@link io.github.twinlane.DeviceChannel}.
 * Drivers are registered explicitly, by handing an instance to
 * {@link io.github.twinlane.TwinlaneRuntime#open}; there is no discovery.
 *
 * <p>One driver instance serves one channel. Threading, which the runtime guarantees:
 * <ul>
 *   <li>{@link #open()} and {@link #read(Object)} are called from one lane thread at a time (the
 *       reader thread, or a slow-lane loop thread for {@link ReadMode#NON_BLOCKING} drivers).
 *       Opening on a lane thread lets native threads the device library starts inherit that lane's
 *       CPU placement.</li>
 *   <li>{@link #write(Object)} is called from one thread at a time (every write, ordinary commands and
 *       stops alike, goes through the channel's write gate), possibly concurrently with {@code read}:
 *       most devices are full duplex. A write that takes longer than the channel's
 *       {@code writeTimeout} is a stuck device: the channel fails and the runtime closes the driver.</li>
 *   <li>{@link #close()} may be called from any thread, including while another thread is inside
 *       {@code read} or {@code write}: it must make such a read or write return or throw, so the runtime
 *       can stop, and unblock a stuck write, in bounded time; and it must itself return promptly. It is
 *       called again before every reopen, and must be idempotent.</li>
 * </ul>
 *
 * <p>Reads fill caller-owned storage (a preallocated ring slot); a driver must not keep the
 * reference after {@code read} returns and should allocate nothing per read in steady state.
 *
 * @param <C> the command type the device accepts
 * @param <T> the data type the device produces
 */
public interface DeviceDriver<C, T> {

    /**
     * A short description for logs and thread names, such as {@code /dev/ttyUSB0} or
     * {@code sim-drive}.
     *
     * @return the description; constant
     */
    String describe();

    /**
     * The commands this device accepts.
     *
     * @return the command type; constant
     */
    MessageType<C> commandType();

    /**
     * The data this device produces.
     *
     * @return the data type; constant
     */
    MessageType<T> dataType();

    /**
     * Whether reads block in native code, which decides the threads the driver gets.
     *
     * @return the read mode; constant
     */
    ReadMode readMode();

    /**
     * Opens (or reopens after a failure) the device and applies its settings.
     *
     * @throws IOException if the device cannot be opened now; the runtime retries with backoff
     */
    void open() throws IOException;

    /**
     * Reads at most one message into {@code into}.
     *
     * @param into caller-owned storage, overwritten; valid only for this call
     * @return true if {@code into} now holds a new message; false if none arrived (a
     *     {@link ReadMode#NON_BLOCKING} driver with nothing pending, or a blocking read that timed out)
     * @throws CorruptDataException if the device sent data that failed validation; counted, no reconnect
     * @throws IOException if the link is broken; the channel reconnects
     */
    boolean read(T into) throws IOException;

    /**
     * Writes one command to the device.
     *
     * @param command the command; valid only for this call
     * @throws IOException if the link is broken; the command is counted as failed and the channel reconnects
     */
    void write(C command) throws IOException;

    /**
     * Hands the driver its channel's demand signal, once, before the first {@link #open()}. Drivers
     * that can skip work nobody will use (decoding frames that would be conflated away) keep it;
     * the default ignores it.
     *
     * @param demand whether a consumer is waiting
     */
    default void bind(Demand demand) {
    }

    /**
     * Releases the device. Idempotent; callable from any thread; returns promptly; makes a blocked
     * read or write return or throw.
     */
    void close();
}
