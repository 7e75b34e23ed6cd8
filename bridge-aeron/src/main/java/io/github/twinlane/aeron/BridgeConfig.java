package io.github.twinlane.aeron;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AeronBridge} reaches Aeron's media driver, the process that moves the bytes.
 *
 * <p>{@link #embedded()}, the default: a media driver inside this process, started and stopped
 * with the bridge, in a fresh directory that is deleted on close. It runs on one backing-off
 * thread (Aeron's shared threading mode), never a busy-spinning one.
 *
 * <p>{@link #externalDriver(Path)}: a media driver the user runs (for example
 * {@code java -cp aeron-all.jar io.aeron.driver.MediaDriver}), tuned and pinned as they like. Two
 * processes using {@link Link#ipc(int)} must share one driver this way.
 *
 * @param embeddedDriver whether to start a driver in-process
 * @param directory the driver's directory; null for a fresh one (embedded only)
 * @param livenessTimeout how long a silent peer stays connected: an importer whose exporter
 *     vanishes sees {@code RECONNECTING} after this (embedded driver only; an external driver has
 *     its own setting)
 * @param termLength Aeron's term buffer length for publications this bridge creates, a power of
 *     two from 64 KiB to 1 GiB; a publication uses three terms of shared memory, and at most half a
 *     term is in flight
 */
public record BridgeConfig(boolean embeddedDriver, Path directory, Duration livenessTimeout, int termLength) {
    /** 4 MiB: 12 MiB of shared memory per export, 2 MiB in flight, about a third of a 1080p frame. */
    public static final int DEFAULT_TERM_LENGTH = 4 << 20;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and its range
     */
    public BridgeConfig {
        io.github.twinlane.spi.Require.notNull(livenessTimeout, "livenessTimeout", "from 100 ms to 10 s");
        if (!embeddedDriver && directory == null) {
            throw new IllegalArgumentException("an external media driver needs its directory (the driver's "
                    + "aeron.dir, such as /dev/shm/aeron-" + System.getProperty("user.name") + ")");
        }
        if (livenessTimeout.compareTo(Duration.ofMillis(100)) < 0 || livenessTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("livenessTimeout must be 100 ms to 10 s, was " + io.github.twinlane.Durations.human(livenessTimeout));
        }
        if (termLength < 64 * 1024 || termLength > 1 << 30 || Integer.bitCount(termLength) != 1) {
            throw new IllegalArgumentException("termLength must be a power of two from 64 KiB to 1 GiB, was "
                    + termLength);
        }
    }

    /**
     * An embedded driver in a fresh directory, a 2 s liveness timeout, 4 MiB terms.
     *
     * @return the configuration
     */
    public static BridgeConfig embedded() {
        return new BridgeConfig(true, null, Duration.ofSeconds(2), DEFAULT_TERM_LENGTH);
    }

    /**
     * An embedded driver in {@code directory}, which other processes can then join with
     * {@link #externalDriver(Path)}, for example to share IPC links.
     *
     * @param directory the driver's directory; wiped at start, deleted at close
     * @return the configuration
     */
    public static BridgeConfig embedded(Path directory) {
        return new BridgeConfig(true, io.github.twinlane.spi.Require.notNull(directory, "directory", "a directory path"), Duration.ofSeconds(2),
                DEFAULT_TERM_LENGTH);
    }

    /**
     * A media driver already running with {@code directory} as its {@code aeron.dir}.
     *
     * @param directory the driver's directory
     * @return the configuration
     */
    public static BridgeConfig externalDriver(Path directory) {
        return new BridgeConfig(false, io.github.twinlane.spi.Require.notNull(directory, "directory", "a directory path"), Duration.ofSeconds(2),
                DEFAULT_TERM_LENGTH);
    }

    /**
     * The same with another liveness timeout.
     *
     * @param timeout 100 ms to 10 s
     * @return a new configuration
     */
    public BridgeConfig withLivenessTimeout(Duration timeout) {
        return new BridgeConfig(embeddedDriver, directory, timeout, termLength);
    }

    /**
     * The same with another term length.
     *
     * @param bytes a power of two from 64 KiB to 1 GiB
     * @return a new configuration
     */
    public BridgeConfig withTermLength(int bytes) {
        return new BridgeConfig(embeddedDriver, directory, livenessTimeout, bytes);
    }
}
