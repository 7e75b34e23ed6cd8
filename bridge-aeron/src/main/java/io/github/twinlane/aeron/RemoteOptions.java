package io.github.twinlane.aeron;

import java.time.Duration;
import java.util.Objects;

/**
 * How a remote device is imported.
 *
 * @param connectTimeout how long one open waits for the exporter's stream before failing the
 *     attempt (the channel then retries with its backoff, in state {@code RECONNECTING})
 * @param offerTimeout how long a back-pressured command is retried before it is counted as timed out
 * @param maxMessageBytes the largest message accepted; a header announcing more is counted and
 *     skipped, so a corrupt length never allocates
 */
public record RemoteOptions(Duration connectTimeout, Duration offerTimeout, int maxMessageBytes) {

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and its range
     */
    public RemoteOptions {
        io.github.twinlane.spi.Require.notNull(connectTimeout, "connectTimeout", "from 10 ms to 60 s");
        io.github.twinlane.spi.Require.notNull(offerTimeout, "offerTimeout", "from 0 to 10 s");
        if (connectTimeout.compareTo(Duration.ofMillis(10)) < 0 || connectTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("connectTimeout must be 10 ms to 60 s, was " + io.github.twinlane.Durations.human(connectTimeout));
        }
        if (offerTimeout.isNegative() || offerTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("offerTimeout must be 0 to 10 s, was " + io.github.twinlane.Durations.human(offerTimeout));
        }
        if (maxMessageBytes < 1 || maxMessageBytes > 1 << 30) {
            throw new IllegalArgumentException("maxMessageBytes must be 1 to 1 GiB, was " + maxMessageBytes);
        }
    }

    /**
     * 1 s connect timeout, 100 ms offer timeout, 64 MiB messages.
     *
     * @return the defaults
     */
    public static RemoteOptions defaults() {
        return new RemoteOptions(Duration.ofSeconds(1), Duration.ofMillis(100), 64 << 20);
    }

    /**
     * The same with another connect timeout.
     *
     * @param timeout 10 ms to 60 s
     * @return new options
     */
    public RemoteOptions connectTimeout(Duration timeout) {
        return new RemoteOptions(timeout, offerTimeout, maxMessageBytes);
    }
}
