package io.github.twinlane;

import java.time.Duration;

/**
 * How a {@link Tap} buffers what it observes: a bounded ring of preallocated slots, at most
 * {@code capacity} of them and at most {@code maxBytes} in all, with its own policy, never
 * {@link BackpressurePolicy#BLOCK} (a tap must never hold its lane).
 *
 * <p>The ring's size: the largest power of two, from 2 up to {@code capacity}, whose messages (the ring's
 * slots and the four spares every ring keeps; the ring is twice as long under DROP_OLDEST) fit in
 * {@code maxBytes}, each message counted as its type's {@link MessageType#heapBytes} plus
 * {@link MessageType#directBytes}. So a tap of small values holds {@code capacity} of them, and a tap of
 * 2.6 MiB camera frames with the defaults holds 8. A tap whose 2 slots do not fit is refused when it is
 * made, naming the sizes; {@link TapStats#capacity()} says what a tap got.
 *
 * @param name the tap's name, in its thread's name and its stats: 1 to 32 letters, digits, '-' or '_'
 * @param capacity the most ring slots, a power of two from 2 to 65,536
 * @param policy what a full ring does: {@link BackpressurePolicy#LATEST} (default: newest wins),
 *     {@link BackpressurePolicy#DROP_OLDEST} or {@link BackpressurePolicy#DROP_NEWEST}; every drop is counted
 * @param maxWait the longest the tap's thread parks while its ring is empty, so the most a value waits
 *     before its consumer gets it: from 10 µs to 1 s, {@link #DEFAULT_MAX_WAIT} by default. The lane never
 *     wakes the tap (that would cost the lane a system call per value), so the thread polls, parking from
 *     50 µs (or {@code maxWait} if shorter) doubling up to this; shorter is fresher and costs more wake-ups
 *     when the channel is quiet
 * @param maxBytes the most memory (heap and direct) the ring's messages may take, from 1 KiB to 16 GiB,
 *     {@link #DEFAULT_MAX_BYTES} by default; counted in the runtime's memory budget while the tap is open
 */
public record TapConfig(String name, int capacity, BackpressurePolicy policy, Duration maxWait, long maxBytes) {

    /** The default {@link #maxWait()}: 1 ms, right for recording and viewing. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(1);
    /** The default {@link #maxBytes()}: 32 MiB, a few camera frames or thousands of small values. */
    public static final long DEFAULT_MAX_BYTES = 32L << 20;

    /**
     * A tap of at most {@link #DEFAULT_MAX_BYTES}.
     *
     * @param name the tap's name
     * @param capacity the most ring slots
     * @param policy what a full ring does
     * @param maxWait the longest park of the tap's thread
     */
    public TapConfig(String name, int capacity, BackpressurePolicy policy, Duration maxWait) {
        this(name, capacity, policy, maxWait, DEFAULT_MAX_BYTES);
    }

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
        if (maxBytes < ChannelConfig.MIN_MAX_BYTES || maxBytes > ChannelConfig.MAX_MAX_BYTES) {
            throw new IllegalArgumentException("maxBytes must be from 1 KiB to 16 GiB, was " + maxBytes);
        }
    }

    /**
     * A tap named {@code name} of at most 64 slots and {@link #DEFAULT_MAX_BYTES}, newest value winning when
     * its consumer falls behind.
     *
     * @param name the tap's name
     * @return the configuration
     */
    public static TapConfig of(String name) {
        return new TapConfig(name, 64, BackpressurePolicy.LATEST);
    }

    /** This configuration with another capacity. */
    public TapConfig withCapacity(int slots) {
        return new TapConfig(name, slots, policy, maxWait, maxBytes);
    }

    /** This configuration with another policy. */
    public TapConfig withPolicy(BackpressurePolicy p) {
        return new TapConfig(name, capacity, p, maxWait, maxBytes);
    }

    /**
     * This configuration with another bound on the ring's memory.
     *
     * @param bytes from 1 KiB to 16 GiB
     * @return the new configuration
     */
    public TapConfig withMaxBytes(long bytes) {
        return new TapConfig(name, capacity, policy, maxWait, bytes);
    }

    /**
     * This configuration with another longest park of the tap's thread.
     *
     * @param wait from 10 µs to 1 s
     * @return the new configuration
     */
    public TapConfig withMaxWait(Duration wait) {
        return new TapConfig(name, capacity, policy, wait, maxBytes);
    }
}
