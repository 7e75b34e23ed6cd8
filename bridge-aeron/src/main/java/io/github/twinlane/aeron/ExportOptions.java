package io.github.twinlane.aeron;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How one channel is exported.
 *
 * @param policy what happens to data when Aeron back-pressures: {@code LATEST} (the default: keep
 *     only the newest, right for frames and for telemetry a controller acts on), {@code DROP_OLDEST}
 *     or {@code DROP_NEWEST}; every drop is counted. {@code BLOCK} is refused: the export is fed
 *     from the device's own lane, which a slow or vanished subscriber must never stall
 * @param capacity messages queued between the device's lane and the export's thread, a power of two
 *     from 2
 * @param acceptCommands whether commands from importers reach the device; off by default, so that
 *     exporting a drive's telemetry never lets the network move it
 * @param offerTimeout how long the export's thread retries a back-pressured message before
 *     abandoning it (a receiver then drops the part it got, and counts it)
 */
public record ExportOptions(BackpressurePolicy policy, int capacity, boolean acceptCommands, Duration offerTimeout) {

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the value and what to use instead
     */
    public ExportOptions {
        io.github.twinlane.spi.Require.notNull(policy, "policy", "one of LATEST, DROP_OLDEST, DROP_NEWEST");
        io.github.twinlane.spi.Require.notNull(offerTimeout, "offerTimeout", "from 0 to 10 s");
        if (policy == BackpressurePolicy.BLOCK) {
            throw new IllegalArgumentException("an export cannot use BLOCK: it would let a slow or vanished "
                    + "subscriber stall the device's lane. Use LATEST (newest wins), DROP_OLDEST or DROP_NEWEST");
        }
        if (capacity < 2 || capacity > ChannelConfig.MAX_CAPACITY || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two from 2 to " + ChannelConfig.MAX_CAPACITY
                    + ", was " + capacity);
        }
        if (offerTimeout.isNegative() || offerTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("offerTimeout must be 0 to 10 s, was " + io.github.twinlane.Durations.human(offerTimeout));
        }
    }

    /**
     * LATEST, 4 slots, remote commands refused, 100 ms offer timeout.
     *
     * @return the defaults
     */
    public static ExportOptions defaults() {
        return new ExportOptions(BackpressurePolicy.LATEST, 4, false, Duration.ofMillis(100));
    }

    /**
     * The same with remote commands accepted or refused.
     *
     * @param accept true to let importers command the device
     * @return new options
     */
    public ExportOptions acceptCommands(boolean accept) {
        return new ExportOptions(policy, capacity, accept, offerTimeout);
    }

    /**
     * The same with another policy.
     *
     * @param value LATEST, DROP_OLDEST or DROP_NEWEST
     * @return new options
     */
    public ExportOptions policy(BackpressurePolicy value) {
        return new ExportOptions(value, capacity, acceptCommands, offerTimeout);
    }

    /**
     * The same with another capacity.
     *
     * @param slots a power of two
     * @return new options
     */
    public ExportOptions capacity(int slots) {
        return new ExportOptions(policy, slots, acceptCommands, offerTimeout);
    }

    /**
     * The same with another offer timeout.
     *
     * @param timeout 0 to 10 s
     * @return new options
     */
    public ExportOptions offerTimeout(Duration timeout) {
        return new ExportOptions(policy, capacity, acceptCommands, timeout);
    }
}
