package io.github.twinlane;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Durations written for people: {@code 10 µs}, {@code 2.5 ms}, {@code 1 h}, never {@code PT0.00001S}.
 * Every configuration error and log line that names a duration uses this.
 *
 * <p>Any thread; allocates the string.
 */
public final class Durations {
    private static final long[] UNIT_NANOS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"h", "min", "s", "ms", "µs", "ns"};

    private Durations() {
    }

    /**
     * The duration in the largest unit it has at least one of, with up to three decimals and no
     * trailing zeros: {@code 10 µs}, {@code 1.5 s}, {@code 2 h}, {@code 0 s}; negative durations keep
     * their sign; {@code null} prints as {@code null}.
     */
    public static String human(Duration d) {
        if (d == null) {
            return "null";
        }
        if (d.isZero()) {
            return "0 s";
        }
        BigDecimal nanos = new BigDecimal(d.getSeconds()).scaleByPowerOfTen(9).add(BigDecimal.valueOf(d.getNano()));
        BigDecimal abs = nanos.abs();
        for (int i = 0; i < UNIT_NANOS.length; i++) {
            BigDecimal unit = BigDecimal.valueOf(UNIT_NANOS[i]);
            if (abs.compareTo(unit) >= 0 || i == UNIT_NANOS.length - 1) {
                BigDecimal v = nanos.divide(unit, 3, RoundingMode.HALF_EVEN).stripTrailingZeros();
                return v.toPlainString() + " " + UNIT_NAMES[i];
            }
        }
        throw new AssertionError("unreachable");
    }
}
