package io.github.twinlane.serial.internal;

import com.fazecast.jSerialComm.SerialPort;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialNatives;
import io.github.twinlane.serial.SerialPreflight;
import io.github.twinlane.serial.UsbIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens jSerialComm ports from a {@link SerialConfig}: resolves the port (by path, or by USB
 * identity among the connected adapters), applies every setting, and turns jSerialComm's boolean
 * failures into exceptions with the preflight's diagnosis. Not an API.
 */
public final class Ports {
    private Ports() {
    }

    /**
     * Resolves, configures and opens a port.
     *
     * @param config the settings
     * @param timeoutMode a jSerialComm {@code TIMEOUT_*} mode
     * @param readTimeoutMs the read timeout for that mode
     * @return the open port
     * @throws IOException if it cannot be found or opened, saying why and what to do
     */
    public static SerialPort open(SerialConfig config, int timeoutMode, int readTimeoutMs) throws IOException {
        SerialNatives.ensureAvailability();
        SerialPort p = resolve(config);
        refuseAnotherDevice(config, p, false);
        p.setComPortParameters(config.baudRate(), config.dataBits(), switch (config.stopBits()) {
            case ONE -> SerialPort.ONE_STOP_BIT;
            case ONE_POINT_FIVE -> SerialPort.ONE_POINT_FIVE_STOP_BITS;
            case TWO -> SerialPort.TWO_STOP_BITS;
        }, switch (config.parity()) {
            case NONE -> SerialPort.NO_PARITY;
            case ODD -> SerialPort.ODD_PARITY;
            case EVEN -> SerialPort.EVEN_PARITY;
            case MARK -> SerialPort.MARK_PARITY;
            case SPACE -> SerialPort.SPACE_PARITY;
        }, config.rs485());
        p.setFlowControl(switch (config.flowControl()) {
            case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
            case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
            case XON_XOFF -> SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        });
        p.setComPortTimeouts(timeoutMode, readTimeoutMs, 0);
        if (!p.openPort()) {
            throw new IOException("could not open " + config.describe() + " (" + p.getSystemPortPath() + "): "
                    + SerialPreflight.system().explain(config));
        }
        refuseAnotherDevice(config, p, true); // the link may have changed since it was resolved
        return p;
    }

    /**
     * Throws unless the device jSerialComm resolved a configured path to is the file the path names:
     * jSerialComm maps a path it cannot find to {@code /dev/<last element>}, which may be a console.
     * Nothing is read from or written to the port before this passes.
     *
     * @param open whether the port is open already (it is closed again)
     */
    private static void refuseAnotherDevice(SerialConfig config, SerialPort p, boolean open) throws IOException {
        Optional<SerialPreflight.Finding> wrong = SerialPreflight.system().checkResolved(config, p.getSystemPortPath());
        if (wrong.isPresent()) {
            if (open) {
                p.closePort();
            }
            throw new IOException(wrong.get().message() + (open ? " (" + p.getSystemPortPath() + " was opened and "
                    + "closed again before anything was read or written)" : ""));
        }
    }

    private static SerialPort resolve(SerialConfig config) throws IOException {
        if (config.path() != null) {
            try {
                return SerialPort.getCommPort(config.path());
            } catch (RuntimeException e) {
                throw new IOException("serial port " + config.path() + " not found: "
                        + SerialPreflight.system().explain(config), e);
            }
        }
        UsbIdentity id = config.usb();
        List<String> seen = new ArrayList<>();
        for (SerialPort p : SerialPort.getCommPorts()) {
            if (p.getVendorID() == id.vendorId() && p.getProductID() == id.productId()
                    && (id.serialNumber() == null || id.serialNumber().equals(p.getSerialNumber()))) {
                return p;
            }
            seen.add(p.getSystemPortPath() + String.format(" (%04x:%04x %s)", p.getVendorID(), p.getProductID(),
                    p.getSerialNumber()));
        }
        throw new IOException("no serial adapter matching " + id + " is connected; present: " + seen
                + ". Check the cable and `lsusb`.");
    }
}
