package io.github.twinlane.spi;

import java.io.IOException;

/**
 * Thrown by {@link DeviceDriver#read(Object)} when the device sent data that failed validation (bad
 * checksum, impossible length) while the link itself is fine. The channel counts it as a corrupt
 * read and keeps reading; it does not reconnect. Any other {@link IOException} means the link is
 * broken and the channel reconnects.
 */
public class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed validation, for the log
     */
    public CorruptDataException(String message) {
        super(message);
    }
}
