package io.github.twinlane.serial.modbus;

/** Which register table a poll reads. */
public enum RegisterTable {
    /** Holding registers, function 0x03: setpoints and configuration. */
    HOLDING,
    /** Input registers, function 0x04: measurements. */
    INPUT
}
