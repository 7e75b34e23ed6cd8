package io.github.twinlane.spi;

/**
 * Checks for configuration values, so that every configuration in twinlane and its drivers refuses
 * a bad value the same way: an {@link IllegalArgumentException} whose message names the field, what
 * is allowed, and the value given ({@code "offerTimeout must be from 0 to 10 s, was null"}).
 *
 * <p>For driver authors' own configuration records. Any thread.
 */
public final class Require {
    private Require() {
    }

    /**
     * Refuses {@code null}.
     *
     * @param value the value
     * @param field the field's name as the user wrote it
     * @param allowed what is allowed, for example "FAST or SLOW"
     * @return the value
     * @throws IllegalArgumentException "{@code field} must be {@code allowed}, was null"
     */
    public static <T> T notNull(T value, String field, String allowed) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be " + allowed + ", was null");
        }
        return value;
    }

    /** A string as a message shows it: quoted, or {@code null} without quotes. */
    public static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
