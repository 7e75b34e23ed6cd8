package io.github.twinlane;

/**
 * Hears a channel's safety act: an emergency stop latching or being released, the watchdog tripping.
 * For a black box that keeps the seconds before, a live view's status line, an alarm.
 *
 * <p>Threading: called on the thread that acted, after the stop or safe command was written: the
 * caller of {@link DeviceChannel#emergencyStop} and {@link DeviceChannel#releaseEmergencyStop}, the
 * runtime's supervisor for a watchdog trip. Return at once (hand slow work, such as writing a file,
 * to a thread of your own); an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface SafetyListener {
    /**
     * Something happened.
     *
     * @param channel the channel's name
     * @param event what
     * @param detail why, in words (the watchdog's reason, a failed write), never null
     */
    void onSafetyEvent(String channel, SafetyEvent event, String detail);
}
