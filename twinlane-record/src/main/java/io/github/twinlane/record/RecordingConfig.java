package io.github.twinlane.record;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.Durations;
import io.github.twinlane.record.mcap.McapCompression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link Recording} writes.
 *
 * @param file the first file; later parts of a split recording are named after it ({@code run.mcap},
 *     {@code run-001.mcap}, {@code run-002.mcap} …)
 * @param compression each chunk's compression
 * @param chunkBytes records per chunk before it is compressed and written, 1 KiB to 64 MiB: also the most a
 *     crash can lose per file
 * @param splitBytes start a new file after this many bytes, 0 for never (at least 1 MiB)
 * @param splitAfter start a new file after this long, zero for never (at least 1 s)
 * @param backlog values each recorded stream may hold while the file is busy, a power of two from 2 to
 *     65,536; beyond it the oldest are dropped, counted, and the count written into the file at close. A
 *     thinned stream ({@code Recording.data} with an interval) holds two whatever this says
 * @param robot the robot's name, written into the file's metadata
 */
public record RecordingConfig(Path file, McapCompression compression, int chunkBytes, long splitBytes,
                              Duration splitAfter, int backlog, String robot) {

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming the field, what is allowed and the value given
     */
    public RecordingConfig {
        Objects.requireNonNull(file, "file must be set");
        if (!file.getFileName().toString().endsWith(".mcap")) {
            throw new IllegalArgumentException("file must end in .mcap (tools open it by its name), was " + file);
        }
        Objects.requireNonNull(compression, "compression must be NONE, ZSTD or LZ4, was null");
        if (chunkBytes < 1024 || chunkBytes > 64 << 20) {
            throw new IllegalArgumentException("chunkBytes must be from 1 KiB to 64 MiB, was " + chunkBytes);
        }
        if (splitBytes != 0 && splitBytes < 1 << 20) {
            throw new IllegalArgumentException("splitBytes must be 0 (never) or at least 1 MiB, was " + splitBytes);
        }
        if (splitAfter == null || splitAfter.isNegative() || !splitAfter.isZero() && splitAfter.toMillis() < 1000) {
            throw new IllegalArgumentException("splitAfter must be zero (never) or at least 1 s, was "
                    + Durations.human(splitAfter));
        }
        if (backlog < 2 || backlog > 65_536 || Integer.bitCount(backlog) != 1) {
            throw new IllegalArgumentException("backlog must be a power of two from 2 to 65536, was " + backlog);
        }
        Objects.requireNonNull(robot, "robot must be a name (\"\" for none), was null");
    }

    /**
     * A recording into {@code file}: zstd chunks of 1 MiB, no split, a backlog of 1,024 values per stream.
     *
     * @param file the first file, ending in .mcap
     * @return the configuration
     */
    public static RecordingConfig to(Path file) {
        return new RecordingConfig(file, McapCompression.ZSTD, 1 << 20, 0, Duration.ZERO, 1024, "");
    }

    /**
     * @param c the compression
     * @return this configuration with another compression
     */
    public RecordingConfig withCompression(McapCompression c) {
        return new RecordingConfig(file, c, chunkBytes, splitBytes, splitAfter, backlog, robot);
    }

    /**
     * @param bytes from 1 KiB to 64 MiB
     * @return this configuration with another chunk size
     */
    public RecordingConfig withChunkBytes(int bytes) {
        return new RecordingConfig(file, compression, bytes, splitBytes, splitAfter, backlog, robot);
    }

    /**
     * @param bytes 0 for never, or at least 1 MiB
     * @param after zero for never, or at least 1 s
     * @return this configuration splitting files by size and/or duration
     */
    public RecordingConfig withSplit(long bytes, Duration after) {
        return new RecordingConfig(file, compression, chunkBytes, bytes, after, backlog, robot);
    }

    /**
     * @param values a power of two from 2 to 65,536
     * @return this configuration with another backlog per stream
     */
    public RecordingConfig withBacklog(int values) {
        return new RecordingConfig(file, compression, chunkBytes, splitBytes, splitAfter, values, robot);
    }

    /**
     * @param name the robot's name
     * @return this configuration with the robot named
     */
    public RecordingConfig withRobot(String name) {
        return new RecordingConfig(file, compression, chunkBytes, splitBytes, splitAfter, backlog, name);
    }

    /** The policy of each stream's backlog: the newest values are kept. */
    static final BackpressurePolicy BACKLOG_POLICY = BackpressurePolicy.DROP_OLDEST;
}
