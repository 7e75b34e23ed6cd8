package io.github.twinlane.serial.modbus;

import io.github.twinlane.MessageType;

/** The result of one poll of a register block. Mutable and reusable. */
public final class RegisterBlock {
    /** The largest block one read returns. */
    public static final int MAX = 125;
    /** The message type. */
    public static final MessageType<RegisterBlock> TYPE = MessageType.of(RegisterBlock::new, RegisterBlock::copyTo);

    /** The poll's number, from 0. */
    public long sequence;
    /** How the poll went; the values are fresh only when OK. */
    public PollStatus status = PollStatus.OK;
    /** The device's exception code when status is EXCEPTION, else null. */
    public ExceptionCode exception;
    /** The first register. */
    public int address;
    /** How many registers. */
    public int count;
    /** The values, 0 to 65535; the first {@link #count} are valid. */
    public final int[] values = new int[MAX];

    /**
     * Copies into another block.
     *
     * @param to the destination
     */
    public void copyTo(RegisterBlock to) {
        to.sequence = sequence;
        to.status = status;
        to.exception = exception;
        to.address = address;
        to.count = count;
        System.arraycopy(values, 0, to.values, 0, Math.min(count, MAX));
    }
}
