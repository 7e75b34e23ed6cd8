package io.github.twinlane;

import java.io.IOException;

/**
 * A device write did not return within its channel's {@link ChannelConfig#writeTimeout()}: the device
 * is stuck. The channel went {@link ChannelState#FAILED} with this as the cause (a {@link StateListener}
 * sees it), and its driver was closed to unblock the write. Check the device, then open the channel
 * again.
 */
public final class DeviceStuckException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the channel, the device, the write that hung and for how long
     */
    public DeviceStuckException(String message) {
        super(message);
    }
}
