package io.github.twinlane.serial.modbus;

/** Modbus exception codes a server answers with. */
public enum ExceptionCode {
    /** 1: the function code is not supported. */
    ILLEGAL_FUNCTION(1),
    /** 2: the register address (or range) does not exist on this device. */
    ILLEGAL_DATA_ADDRESS(2),
    /** 3: a value in the request is not allowed. */
    ILLEGAL_DATA_VALUE(3),
    /** 4: the device failed while acting on the request. */
    SERVER_DEVICE_FAILURE(4),
    /** 5: accepted, will take long: poll later. */
    ACKNOWLEDGE(5),
    /** 6: busy with a long command: retry later. */
    SERVER_DEVICE_BUSY(6),
    /** 8: memory parity error. */
    MEMORY_PARITY_ERROR(8),
    /** 10: gateway path unavailable. */
    GATEWAY_PATH_UNAVAILABLE(10),
    /** 11: the gateway's target did not respond. */
    GATEWAY_TARGET_FAILED(11),
    /** Any other code. */
    UNKNOWN(-1);

    private final int code;

    ExceptionCode(int code) {
        this.code = code;
    }

    /**
     * The code on the wire.
     *
     * @return the number, -1 for {@link #UNKNOWN}
     */
    public int code() {
        return code;
    }

    /**
     * The constant for a wire code.
     *
     * @param code the number
     * @return the constant, {@link #UNKNOWN} if not a standard code
     */
    public static ExceptionCode of(int code) {
        for (ExceptionCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
