package io.github.twinlane;

/** What a channel's safety did, as told to a {@link SafetyListener}. */
public enum SafetyEvent {
    /** An emergency stop latched and its stop command was written (or could not be: see the detail). */
    EMERGENCY_STOP,
    /** A latched emergency stop was released. */
    EMERGENCY_STOP_RELEASED,
    /** The watchdog saw no command for longer than its feed timeout and wrote the safe command. */
    WATCHDOG_TRIPPED
}
