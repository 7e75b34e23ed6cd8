package io.github.twinlane.aeron;

import io.github.twinlane.NoCommand;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.video.VideoFrame;

/**
 * Schemas for twinlane's own message types. Ids 0x7400 to 0x74FF are reserved for these; pick
 * any other id for your own.
 */
public final class Schemas {
    /** The id of {@link #video(int)}. */
    public static final int VIDEO_ID = 0x7401;
    /** The id of {@link #motor()}. */
    public static final int MOTOR_ID = 0x7402;

    private Schemas() {
    }

    /**
     * Camera frames ({@link VideoFrame}, any pixel format) out, no commands.
     *
     * @param capacityBytes the receiving side's preallocated frame size, e.g. {@code 1920 * 1080 * 3};
     *     a larger frame grows the buffer once
     * @return the schema, version 1
     */
    public static Schema<NoCommand, VideoFrame> video(int capacityBytes) {
        return Schema.of(VIDEO_ID, 1, new VideoCodecs.None(), new VideoCodecs.Frames(capacityBytes));
    }

    /**
     * The simulated drive's {@link MotorCommand} and {@link MotorTelemetry}: a template for your own.
     *
     * @return the schema, version 1
     */
    public static Schema<MotorCommand, MotorTelemetry> motor() {
        return Schema.of(MOTOR_ID, 1, new MotorCodecs.Command(), new MotorCodecs.Telemetry());
    }
}
