package io.github.twinlane.serial.modbus;

import io.github.twinlane.MessageType;

/**
 * A command to write holding registers: one (function 0x06) or several (0x10). Mutable and
 * reusable: {@code send} copies it.
 */
public final class RegisterWrite {
    /** The most registers one write carries. */
    public static final int MAX = 123;
    /** The message type. */
    public static final MessageType<RegisterWrite> TYPE = MessageType.of(RegisterWrite::new, RegisterWrite::copyTo);

    /** The first register. */
    public int address;
    /** How many registers, 1 to 123. */
    public int count;
    /** The values; the first {@link #count} are written. */
    public final int[] values = new int[MAX];

    /**
     * Sets a single-register write.
     *
     * @param register the register
     * @param value 0 to 65535
     * @return this
     */
    public RegisterWrite single(int register, int value) {
        address = register;
        count = 1;
        values[0] = value;
        return this;
    }

    /**
     * Copies into another write.
     *
     * @param to the destination
     */
    public void copyTo(RegisterWrite to) {
        to.address = address;
        to.count = count;
        System.arraycopy(values, 0, to.values, 0, Math.min(count, MAX));
    }
}
