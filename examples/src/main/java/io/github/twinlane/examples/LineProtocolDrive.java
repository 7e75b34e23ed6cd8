package io.github.twinlane.examples;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialFrame;
import io.github.twinlane.serial.SerialPortDriver;
import io.github.twinlane.serial.codec.DelimiterCodec;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;

/**
 * A motor drive that speaks a simple ASCII line protocol over a serial port, as many small drives
 * and microcontroller firmwares do:
 * <pre>
 *   to the drive:   V &lt;velocity&gt; &lt;command seq&gt; &lt;sent nanos&gt;\n
 *   from the drive: T &lt;sample seq&gt; &lt;velocity&gt; &lt;position&gt; &lt;last command seq&gt; &lt;its sent nanos&gt;\n
 * </pre>
 * Adapt {@link #write} and {@link #read} to your drive's protocol; the rest (port, framing,
 * reconnects) stays. Allocates nothing per message.
 */
final class LineProtocolDrive extends AbstractDeviceDriver<MotorCommand, MotorTelemetry> {
    private final SerialPortDriver port;
    private final SerialFrame in = new SerialFrame(128);
    private final SerialFrame out = new SerialFrame(128);
    private final byte[] line = new byte[128];
    private final Ascii.Fields fields = new Ascii.Fields();

    LineProtocolDrive(SerialConfig config) {
        this(config, true);
    }

    /**
     * @param config the port
     * @param blockingReads true for a reader thread of its own (reads wait for a line), false for a
     *     channel placed in its control loop (reads return at once, with or without a line)
     */
    LineProtocolDrive(SerialConfig config, boolean blockingReads) {
        super(config.describe(), MotorCommand.TYPE, MotorTelemetry.TYPE,
                blockingReads ? ReadMode.BLOCKING : ReadMode.NON_BLOCKING);
        this.port = blockingReads ? SerialPortDriver.blocking(config, DelimiterCodec.lines(128))
                : SerialPortDriver.nonBlocking(config, DelimiterCodec.lines(128));
    }

    @Override
    public void open() throws IOException {
        port.open();
    }

    @Override
    public boolean read(MotorTelemetry into) throws IOException {
        if (!port.read(in)) {
            return false;
        }
        try {
            Ascii.Fields f = fields.of(in.data(), in.length());
            if (f.nextChar() != 'T') {
                throw new CorruptDataException("not a telemetry line: " + in.ascii());
            }
            into.sequence = f.nextLong();
            into.velocity = f.nextDouble();
            into.position = f.nextDouble();
            into.lastCommandSequence = f.nextLong();
            into.lastCommandSentNanos = f.nextLong();
            return true;
        } catch (NumberFormatException e) {
            throw new CorruptDataException("bad telemetry line \"" + in.ascii() + "\": " + e.getMessage());
        }
    }

    @Override
    public void write(MotorCommand c) throws IOException {
        int n = 0;
        line[n++] = 'V';
        line[n++] = ' ';
        n = Ascii.putFixed3(line, n, c.velocity);
        line[n++] = ' ';
        n = Ascii.putLong(line, n, c.sequence);
        line[n++] = ' ';
        n = Ascii.putLong(line, n, c.sentNanos);
        port.write(out.set(line, 0, n));
    }

    @Override
    public void close() {
        port.close();
    }
}
