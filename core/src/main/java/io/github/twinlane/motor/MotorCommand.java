package io.github.twinlane.motor;

import io.github.twinlane.MessageType;

/**
 * A velocity command for a motor drive. Mutable and reusable: {@code send} copies it.
 */
public final class MotorCommand {
    /** The message type. */
    public static final MessageType<MotorCommand> TYPE = MessageType.of(MotorCommand::new, MotorCommand::copyTo);

    /** The app's number for this command, echoed back in telemetry once applied. */
    public long sequence;
    /** Velocity setpoint, rad/s. */
    public double velocity;
    /** When the app sent it ({@link System#nanoTime()}), echoed back for round-trip measurement. */
    public long sentNanos;

    /**
     * Copies into another command.
     *
     * @param to the destination
     */
    public void copyTo(MotorCommand to) {
        to.sequence = sequence;
        to.velocity = velocity;
        to.sentNanos = sentNanos;
    }
}
