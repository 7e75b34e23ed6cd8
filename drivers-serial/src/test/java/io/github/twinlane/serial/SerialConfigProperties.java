package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Every invalid serial setting is refused when built, naming the field. */
class SerialConfigProperties {

    private static void refused(String field, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().startsWith(field + " must"), e.getMessage());
    }

    @Property
    void onlyStandardBaudRatesAreAccepted(@ForAll @IntRange(min = -10, max = 5_000_000) int baud) {
        boolean standard = Arrays.stream(SerialConfig.STANDARD_BAUD_RATES).anyMatch(b -> b == baud);
        if (standard) {
            assertEquals(baud, SerialConfig.path("/dev/ttyUSB0").baudRate(baud).build().baudRate());
        } else {
            refused("baudRate", () -> SerialConfig.path("/dev/ttyUSB0").baudRate(baud).build());
        }
    }

    @Property
    void dataBitsAreFiveToEight(@ForAll int bits) {
        if (bits >= 5 && bits <= 8) {
            SerialConfig.path("/dev/ttyS0").dataBits(bits).build();
        } else {
            refused("dataBits", () -> SerialConfig.path("/dev/ttyS0").dataBits(bits).build());
        }
    }

    @Property
    void readTimeoutIsOneMillisecondToAMinute(@ForAll @LongRange(min = -5_000, max = 120_000) long ms) {
        if (ms >= 1 && ms <= 60_000) {
            SerialConfig.path("/dev/ttyS0").readTimeout(Duration.ofMillis(ms)).build();
        } else {
            refused("readTimeout", () -> SerialConfig.path("/dev/ttyS0").readTimeout(Duration.ofMillis(ms)).build());
        }
    }

    @Property
    void usbIdsAreSixteenBits(@ForAll int vid) {
        if (vid >= 0 && vid <= 0xFFFF) {
            new UsbIdentity(vid, 1, null);
        } else {
            refused("vendorId", () -> new UsbIdentity(vid, 1, null));
        }
    }

    @Property
    void codecFrameLimitsAreOneTo65535(@ForAll @IntRange(min = -5, max = 70_000) int max) {
        if (max >= 1 && max <= 65_535) {
            new io.github.twinlane.serial.codec.CobsCodec(max);
            new io.github.twinlane.serial.codec.SlipCodec(max);
            new io.github.twinlane.serial.codec.LengthCrcCodec(max);
            io.github.twinlane.serial.codec.DelimiterCodec.lines(max);
            new io.github.twinlane.serial.codec.FixedLengthCodec(max, null);
        } else {
            refused("maxFrame", () -> new io.github.twinlane.serial.codec.CobsCodec(max));
            refused("maxFrame", () -> new io.github.twinlane.serial.codec.SlipCodec(max));
            refused("maxFrame", () -> new io.github.twinlane.serial.codec.LengthCrcCodec(max));
            refused("maxFrame", () -> io.github.twinlane.serial.codec.DelimiterCodec.lines(max));
            refused("length", () -> new io.github.twinlane.serial.codec.FixedLengthCodec(max, null));
        }
    }

    @Property
    void modbusPollerSettingsAreRangeChecked(@ForAll @IntRange(min = -2, max = 300) int unit,
                                             @ForAll @IntRange(min = -2, max = 130) int count,
                                             @ForAll @IntRange(min = 0, max = 3) int timeouts) {
        SerialConfig cfg = SerialConfig.path("/dev/ttyUSB0").build();
        Duration period = Duration.ofMillis(10);
        Duration timeout = Duration.ofMillis(5);
        Runnable make = () -> new io.github.twinlane.serial.modbus.ModbusPollDriver(cfg, unit,
                io.github.twinlane.serial.modbus.RegisterTable.HOLDING, 0, count, period, timeout, timeouts);
        if (unit < 1 || unit > 247) {
            refused("unit", make);
        } else if (count < 1 || count > 125) {
            refused("count", make);
        } else if (timeouts < 1) {
            refused("maxTimeoutsInARow", make);
        } else {
            make.run();
        }
        refused("responseTimeout", () -> new io.github.twinlane.serial.modbus.ModbusPollDriver(cfg, 1,
                io.github.twinlane.serial.modbus.RegisterTable.HOLDING, 0, 1, period, period, 1));
    }

    @Test
    void shouldRefuseAnEmptyPath() {
        refused("path", () -> SerialConfig.path("").build());
        refused("path", () -> SerialConfig.path("  ").build());
    }

    @Test
    void shouldComputeTheCharacterTimeForModbusSilence() {
        // 8N1 at 9600: 10 bits, 1.0417 ms
        assertEquals(1_041_666, SerialConfig.path("/dev/x").baudRate(9600).build().characterNanos());
    }
}
