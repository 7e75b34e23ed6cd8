package io.github.twinlane.motor;

import io.github.twinlane.MessageType;

/** Telemetry from a motor drive. Mutable and reusable. */
public final class MotorTelemetry {
    /** The message type. */
    public static final MessageType<MotorTelemetry> TYPE = MessageType.of(MotorTelemetry::new, MotorTelemetry::copyTo);

    /** The drive's sample number. */
    public long sequence;
    /** Measured velocity, rad/s. */
    public double velocity;
    /** Measured position, rad. */
    public double position;
    /** The setpoint the drive is following, rad/s. */
    public double setpoint;
    /** The sequence of the last command applied, -1 before any. */
    public long lastCommandSequence = -1;
    /** That command's {@link MotorCommand#sentNanos}. */
    public long lastCommandSentNanos;

    /**
     * Copies into another sample.
     *
     * @param to the destination
     */
    public void copyTo(MotorTelemetry to) {
        to.sequence = sequence;
        to.velocity = velocity;
        to.position = position;
        to.setpoint = setpoint;
        to.lastCommandSequence = lastCommandSequence;
        to.lastCommandSentNanos = lastCommandSentNanos;
    }
}
