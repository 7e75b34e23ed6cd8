package io.github.twinlane.foxglove;

/** A log line's level, as Foxglove's {@code foxglove.Log} numbers them. */
public enum LogLevel {
    /** Level 1. */
    DEBUG(1),
    /** Level 2. */
    INFO(2),
    /** Level 3. */
    WARNING(3),
    /** Level 4. */
    ERROR(4),
    /** Level 5. */
    FATAL(5);

    final int value;

    LogLevel(int value) {
        this.value = value;
    }
}
