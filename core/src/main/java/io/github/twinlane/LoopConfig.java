package io.github.twinlane;

import java.time.Duration;

/**
 * How a periodic loop runs.
 *
 * @param name the loop's name, for thread names and statistics
 * @param period the time between deadlines: 10 us to 1 h
 * @param spin how long before each deadline the thread stops parking and spins on the clock: 0 (the
 *     default: no spinning, lateness is the OS timer's, typically 50 to 100 us on Linux) up to the
 *     period. Spinning trades a core's time for lower lateness; use it only with a reserved core.
 * @param catchUp whether late cycles all run in a burst (true) or lost slots are skipped and counted
 *     as missed (false, the default)
 */
public record LoopConfig(String name, Duration period, Duration spin, boolean catchUp) {
    /** The shortest period. */
    public static final Duration MIN_PERIOD = Duration.ofNanos(10_000);
    /** The longest period. */
    public static final Duration MAX_PERIOD = Duration.ofHours(1);

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
        if (spin == null || spin.isNegative() || spin.compareTo(period) > 0) {
            throw new IllegalArgumentException("spin must be from 0 to the period (" + Durations.human(period) + "), was "
                    + Durations.human(spin));
        }
    }

    /**
     * A loop with no spinning and no catch-up.
     *
     * @param name the name
     * @param period the period
     * @return the configuration
     */
    public static LoopConfig of(String name, Duration period) {
        return new LoopConfig(name, period, Duration.ZERO, false);
    }
}
