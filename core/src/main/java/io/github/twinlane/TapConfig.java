package io.github.twinlane;

import java.time.Duration;

/**
 * How a {@link Tap} buffers what it observes: a bounded ring of {@code capacity} preallocated slots
 * with its own policy, never {@link BackpressurePolicy#BLOCK} (a tap must never hold its lane).
 *
 * @param name the tap's name, in its thread's name and its stats: 1 to 32 letters, digits, '-' or '_'
 * @param capacity ring slots, a power of two from 2 to 65,536
 * @param policy what a full ring does: {@link BackpressurePolicy#LATEST} (default: newest wins),
 *     {@link BackpressurePolicy#DROP_OLDEST} or {@link BackpressurePolicy#DROP_NEWEST}; every drop is counted
 * @param maxWait the longest the tap's thread parks while its ring is empty, so the most a value waits
 *     before its consumer gets it: from 10 µs to 1 s, {@link #DEFAULT_MAX_WAIT} by default. The lane never
 *     wakes the tap (that would cost the lane a system call per value), so the thread polls, parking from
 *     50 µs (or {@code maxWait} if shorter) doubling up to this; shorter is fresher and costs more wake-ups
 *     when the channel is quiet
 */
public record TapConfig(String name, int capacity, BackpressurePolicy policy, Duration maxWait) {

    /** The default {@link #maxWait()}: 1 ms, right for recording and viewing. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(1);

    /**
     * A tap whose thread parks at most {@link #DEFAULT_MAX_WAIT} when its ring is empty.
     *
     * @param name the tap's name
     * @param capacity ring slots
     * @param policy what a full ring does
     */
    public TapConfig(String name, int capacity, BackpressurePolicy policy) {
        this(name, capacity, policy, DEFAULT_MAX_WAIT);
    }

    /**
     * Validates every value.
     *
     * @throws IllegalArgumentException naming the field, what is allowed and the value given
     */
    public TapConfig {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("name must be 1 to 32 letters, digits, '-' or '_', was "
                    + io.github.twinlane.spi.Require.quoted(name));
        }
        if (capacity < 2 || capacity > 65_536 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two from 2 to 65536, was " + capacity);
        }
        io.github.twinlane.spi.Require.notNull(policy, "policy", "LATEST, DROP_OLDEST or DROP_NEWEST");
        if (policy == BackpressurePolicy.BLOCK) {
            throw new IllegalArgumentException("policy must be LATEST, DROP_OLDEST or DROP_NEWEST: a tap never "
                    + "blocks its lane, was BLOCK");
        }
        if (maxWait == null || maxWait.compareTo(Duration.ofNanos(10_000)) < 0 || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxWait must be from 10 µs to 1 s, was " + Durations.human(maxWait));
        }
    }

    /**
     * A tap named {@code name} with 64 slots, newest value winning when its consumer falls behind.
     *
     * @param name the tap's name
     * @return the configuration
     */
    public static TapConfig of(String name) {
        return new TapConfig(name, 64, BackpressurePolicy.LATEST);
    }

    /** This configuration with another capacity. */
    public TapConfig withCapacity(int slots) {
        return new TapConfig(name, slots, policy, maxWait);
    }

    /** This configuration with another policy. */
    public TapConfig withPolicy(BackpressurePolicy p) {
        return new TapConfig(name, capacity, p, maxWait);
    }

    /**
     * This configuration with another longest park of the tap's thread.
     *
     * @param wait from 10 µs to 1 s
     * @return the new configuration
     */
    public TapConfig withMaxWait(Duration wait) {
        return new TapConfig(name, capacity, policy, wait);
    }
}
