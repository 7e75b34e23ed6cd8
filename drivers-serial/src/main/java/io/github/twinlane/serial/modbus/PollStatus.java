package io.github.twinlane.serial.modbus;

/** How one poll went. */
public enum PollStatus {
    /** The values are fresh. */
    OK,
    /** No response in time: the values are stale. */
    TIMEOUT,
    /** The device answered with an exception code: the values are stale. */
    EXCEPTION
}
