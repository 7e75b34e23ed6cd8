package io.github.twinlane.record;

import io.github.twinlane.Durations;
import io.github.twinlane.record.mcap.McapCompression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link BlackBox} keeps and where it writes.
 *
 * @param directory where its files go (created if missing), one file per dump, named after the time
 *     and the reason
 * @param window how far back it keeps values, 100 ms to 1 h
 * @param maxBytes the most encoded bytes it keeps in memory, 64 KiB to 2 GiB: the oldest values go
 *     first when either bound is reached
 * @param backlog values each stream may hold while the black box is busy, a power of two from 2 to 65,536
 * @param compression the dump files' chunk compression
 */
public record BlackBoxConfig(Path directory, Duration window, long maxBytes, int backlog, McapCompression compression) {

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming the field, what is allowed and the value given
     */
    public BlackBoxConfig {
        Objects.requireNonNull(directory, "directory must be set");
        if (window == null || window.toMillis() < 100 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("window must be from 100 ms to 1 h, was " + Durations.human(window));
        }
        if (maxBytes < 64 << 10 || maxBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes must be from 64 KiB to 2 GiB, was " + maxBytes);
        }
        if (backlog < 2 || backlog > 65_536 || Integer.bitCount(backlog) != 1) {
            throw new IllegalArgumentException("backlog must be a power of two from 2 to 65536, was " + backlog);
        }
        Objects.requireNonNull(compression, "compression must be NONE, ZSTD or LZ4, was null");
    }

    /**
     * The last 10 seconds, at most 64 MiB, into {@code directory}.
     *
     * @param directory where dumps go
     * @return the configuration
     */
    public static BlackBoxConfig into(Path directory) {
        return new BlackBoxConfig(directory, Duration.ofSeconds(10), 64L << 20, 1024, McapCompression.ZSTD);
    }

    /**
     * @param w from 100 ms to 1 h
     * @return this configuration with another window
     */
    public BlackBoxConfig withWindow(Duration w) {
        return new BlackBoxConfig(directory, w, maxBytes, backlog, compression);
    }

    /**
     * @param bytes from 64 KiB to 2 GiB
     * @return this configuration with another memory bound
     */
    public BlackBoxConfig withMaxBytes(long bytes) {
        return new BlackBoxConfig(directory, window, bytes, backlog, compression);
    }
}
