package io.github.twinlane;

import java.time.Duration;

/**
 * How a periodic loop runs.
 *
 * @param name the loop's name, for thread names and statistics
 * @param period the time between deadlines: 10 us to 1 h
 * @param spin how long before each deadline the thread stops parking and spins on the clock:
 *     {@link #ADAPTIVE} (the default of {@link #of}: with the CPU plan's reserved core, a lead learned
 *     from how late the OS wakes this thread, so it spins as little as it can; without a reserved core,
 *     no spinning), 0 (never spin: lateness is the OS timer's, typically 50 to 100 us on Linux), or a
 *     fixed lead up to the period. Spinning trades a core's time for lower lateness; only the CPU
 *     plan's reserved core should carry it, and only one spinning thread per core.
 * @param catchUp whether late cycles all run in a burst (true) or lost slots are skipped and counted
 *     as missed (false, the default)
 */
public record LoopConfig(String name, Duration period, Duration spin, boolean catchUp) {
    /** The shortest period. */
    public static final Duration MIN_PERIOD = Duration.ofNanos(10_000);
    /** The longest period. */
    public static final Duration MAX_PERIOD = Duration.ofHours(1);
    /**
     * {@link #spin()} value for a learned lead: with the CPU plan's reserved core the loop parks until
     * the lead before each deadline and spins the rest, the lead following the worst recent wake-up
     * delay plus 10 µs (at least 10 µs, at most half the period); without a reserved core it never spins.
     */
    public static final Duration ADAPTIVE = Duration.ofNanos(-1);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field, its allowed range and the value given
     */
    public LoopConfig {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("name must be 1 to 64 characters and not blank, was " + io.github.twinlane.spi.Require.quoted(name));
        }
        if (period == null || period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw new IllegalArgumentException("period must be from " + Durations.human(MIN_PERIOD) + " to "
                    + Durations.human(MAX_PERIOD) + ", was " + Durations.human(period));
        }
        if (spin == null || spin.isNegative() && !spin.equals(ADAPTIVE) || spin.compareTo(period) > 0) {
            throw new IllegalArgumentException("spin must be LoopConfig.ADAPTIVE or from 0 to the period ("
                    + Durations.human(period) + "), was " + Durations.human(spin));
        }
    }

    /** @return whether the spin lead is learned ({@link #ADAPTIVE}) */
    public boolean adaptiveSpin() {
        return ADAPTIVE.equals(spin);
    }

    /**
     * A loop with an {@link #ADAPTIVE} spin lead (spinning only on a reserved core) and no catch-up.
     *
     * @param name the name
     * @param period the period
     * @return the configuration
     */
    public static LoopConfig of(String name, Duration period) {
        return new LoopConfig(name, period, ADAPTIVE, false);
    }
}
