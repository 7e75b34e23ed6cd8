package io.github.twinlane;

/**
 * How a {@link Tap} buffers what it observes: a bounded ring of {@code capacity} preallocated slots
 * with its own policy, never {@link BackpressurePolicy#BLOCK} (a tap must never hold its lane).
 *
 * @param name the tap's name, in its thread's name and its stats: 1 to 32 letters, digits, '-' or '_'
 * @param capacity ring slots, a power of two from 2 to 65,536
 * @param policy what a full ring does: {@link BackpressurePolicy#LATEST} (default: newest wins),
 *     {@link BackpressurePolicy#DROP_OLDEST} or {@link BackpressurePolicy#DROP_NEWEST}; every drop is counted
 */
public record TapConfig(String name, int capacity, BackpressurePolicy policy) {

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
        return new TapConfig(name, slots, policy);
    }

    /** This configuration with another policy. */
    public TapConfig withPolicy(BackpressurePolicy p) {
        return new TapConfig(name, capacity, p);
    }
}
