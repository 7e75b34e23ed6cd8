package io.github.twinlane.serial.modbus;

import java.io.IOException;

/** The device answered a request with a Modbus exception response: the link is fine, the request was not. */
public final class ModbusErrorResponse extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient ExceptionCode code;
    private final int function;
    private final int rawCode;

    /**
     * Creates the exception.
     *
     * @param unit the device's unit id
     * @param function the function code of the request
     * @param rawCode the exception code on the wire
     */
    public ModbusErrorResponse(int unit, int function, int rawCode) {
        super("Modbus unit " + unit + " refused function 0x" + Integer.toHexString(function) + ": "
                + ExceptionCode.of(rawCode) + " (" + rawCode + ")");
        this.code = ExceptionCode.of(rawCode);
        this.function = function;
        this.rawCode = rawCode;
    }

    /** @return the exception code */
    public ExceptionCode code() {
        return code == null ? ExceptionCode.of(rawCode) : code;
    }

    /** @return the request's function code */
    public int function() {
        return function;
    }
}
