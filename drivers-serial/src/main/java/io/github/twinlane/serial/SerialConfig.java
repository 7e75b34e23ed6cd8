package io.github.twinlane.serial;

import io.github.twinlane.Durations;
import io.github.twinlane.spi.Require;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How to reach and set up one serial port. Immutable; built by {@link #path(String)} or
 * {@link #usb(UsbIdentity)}, whose builder rejects bad values with a message naming the field.
 *
 * @param path the device path ({@code /dev/ttyUSB0}, {@code /dev/ttyACM0}, {@code /dev/pts/3}, or a symlink), or null
 * @param usb the adapter's USB identity, or null; one of path and usb is set
 * @param baudRate bits per second, one of {@link #STANDARD_BAUD_RATES}
 * @param dataBits 5 to 8
 * @param parity parity
 * @param stopBits stop bits
 * @param flowControl flow control
 * @param rs485 whether to drive an RS-485 transceiver's direction through RTS
 * @param readTimeout how long one blocking read waits for bytes (fast lane), 1 ms to 60 s
 */
public record SerialConfig(String path, UsbIdentity usb, int baudRate, int dataBits, Parity parity, StopBits stopBits,
                           FlowControl flowControl, boolean rs485, Duration readTimeout) {

    /** The baud rates twinlane accepts; the OS and adapter may support fewer. */
    public static final int[] STANDARD_BAUD_RATES = {1200, 2400, 4800, 9600, 19_200, 38_400, 57_600, 115_200,
        230_400, 460_800, 500_000, 576_000, 921_600, 1_000_000, 1_152_000, 1_500_000, 2_000_000, 2_500_000,
        3_000_000, 3_500_000, 4_000_000};

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the field, its allowed values and the value given
     */
    public SerialConfig {
        if (usb == null && (path == null || path.isBlank())) {
            throw new IllegalArgumentException("path must name a serial device such as /dev/ttyUSB0 (or give a "
                    + "UsbIdentity), was " + Require.quoted(path));
        }
        if (Arrays.stream(STANDARD_BAUD_RATES).noneMatch(b -> b == baudRate)) {
            throw new IllegalArgumentException("baudRate must be one of " + Arrays.toString(STANDARD_BAUD_RATES)
                    + ", was " + baudRate);
        }
        if (dataBits < 5 || dataBits > 8) {
            throw new IllegalArgumentException("dataBits must be from 5 to 8, was " + dataBits);
        }
        Require.notNull(parity, "parity", "NONE, EVEN, ODD, MARK or SPACE");
        Require.notNull(stopBits, "stopBits", "ONE, ONE_POINT_FIVE or TWO");
        Require.notNull(flowControl, "flowControl", "a FlowControl");
        if (readTimeout == null || readTimeout.toMillis() < 1 || readTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("readTimeout must be from 1 ms to 60 s, was " + Durations.human(readTimeout));
        }
    }

    /**
     * A builder for a port by path: 115200 8N1, no flow control, 100 ms read timeout.
     *
     * @param path the device path or a symlink to it
     * @return a builder
     */
    public static Builder path(String path) {
        return new Builder(path, null);
    }

    /**
     * A builder for a port found by its adapter's USB identity at every (re)open.
     *
     * @param identity the identity
     * @return a builder
     */
    public static Builder usb(UsbIdentity identity) {
        return new Builder(null, Objects.requireNonNull(identity, "identity"));
    }

    /**
     * How long one character takes on the wire, for Modbus RTU's silent intervals.
     *
     * @return nanoseconds per character (start, data, parity and stop bits)
     */
    public long characterNanos() {
        int bits = 1 + dataBits + (parity == Parity.NONE ? 0 : 1) + (stopBits == StopBits.ONE ? 1 : 2);
        return bits * 1_000_000_000L / baudRate;
    }

    /**
     * A description for logs: the path or the USB identity.
     *
     * @return the text
     */
    public String describe() {
        return (path != null ? path : usb.toString()) + " " + baudRate + " " + dataBits
                + parity.name().charAt(0) + (stopBits == StopBits.ONE ? "1" : stopBits == StopBits.TWO ? "2" : "1.5")
                + (flowControl == FlowControl.NONE ? "" : ", flow control " + flowControl)
                + (rs485 ? ", RS-485" : "") + ", read timeout " + Durations.human(readTimeout);
    }

    /** Builds a {@link SerialConfig}; {@link #build()} checks every value. */
    public static final class Builder {
        private final String path;
        private final UsbIdentity usb;
        private int baudRate = 115_200;
        private int dataBits = 8;
        private Parity parity = Parity.NONE;
        private StopBits stopBits = StopBits.ONE;
        private FlowControl flowControl = FlowControl.NONE;
        private boolean rs485;
        private Duration readTimeout = Duration.ofMillis(100);

        private Builder(String path, UsbIdentity usb) {
            this.path = path;
            this.usb = usb;
        }

        /**
         * @param value bits per second
         * @return this
         */
        public Builder baudRate(int value) {
            this.baudRate = value;
            return this;
        }

        /**
         * @param value 5 to 8
         * @return this
         */
        public Builder dataBits(int value) {
            this.dataBits = value;
            return this;
        }

        /**
         * @param value parity
         * @return this
         */
        public Builder parity(Parity value) {
            this.parity = value;
            return this;
        }

        /**
         * @param value stop bits
         * @return this
         */
        public Builder stopBits(StopBits value) {
            this.stopBits = value;
            return this;
        }

        /**
         * @param value flow control
         * @return this
         */
        public Builder flowControl(FlowControl value) {
            this.flowControl = value;
            return this;
        }

        /**
         * @param value whether RTS drives an RS-485 transceiver
         * @return this
         */
        public Builder rs485(boolean value) {
            this.rs485 = value;
            return this;
        }

        /**
         * @param value 1 ms to 60 s
         * @return this
         */
        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid field
         */
        public SerialConfig build() {
            return new SerialConfig(path, usb, baudRate, dataBits, parity, stopBits, flowControl, rs485, readTimeout);
        }
    }
}
