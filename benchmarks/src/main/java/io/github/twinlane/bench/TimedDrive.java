package io.github.twinlane.bench;

import io.github.twinlane.MessageType;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.spi.Demand;
import io.github.twinlane.spi.DeviceDriver;
import java.io.IOException;
import org.HdrHistogram.Recorder;

/**
 * A drive that records, at each write, how long the command took from the control task's send to the
 * device (the command's {@code sentNanos}): the command→device latency of the design driving it.
 * Everything else is the wrapped drive's.
 */
final class TimedDrive implements DeviceDriver<MotorCommand, MotorTelemetry> {
    private final DeviceDriver<MotorCommand, MotorTelemetry> drive;
    private final Recorder commandToDevice;

    TimedDrive(DeviceDriver<MotorCommand, MotorTelemetry> drive, Recorder commandToDevice) {
        this.drive = drive;
        this.commandToDevice = commandToDevice;
    }

    @Override
    public String describe() {
        return drive.describe();
    }

    @Override
    public MessageType<MotorCommand> commandType() {
        return drive.commandType();
    }

    @Override
    public MessageType<MotorTelemetry> dataType() {
        return drive.dataType();
    }

    @Override
    public io.github.twinlane.spi.ReadMode readMode() {
        return drive.readMode();
    }

    @Override
    public void open() throws IOException {
        drive.open();
    }

    @Override
    public boolean read(MotorTelemetry into) throws IOException {
        return drive.read(into);
    }

    @Override
    public void write(MotorCommand command) throws IOException {
        if (command.sentNanos > 0) {
            commandToDevice.recordValue(Math.max(0, System.nanoTime() - command.sentNanos));
        }
        drive.write(command);
    }

    @Override
    public void bind(Demand demand) {
        drive.bind(demand);
    }

    @Override
    public void close() {
        drive.close();
    }
}
