package io.github.twinlane.serial.modbus;

import java.io.IOException;

/** No complete response arrived within the response timeout: the device is off, busy, or has another unit id. */
public final class ModbusTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out
     */
    public ModbusTimeoutException(String message) {
        super(message);
    }
}
