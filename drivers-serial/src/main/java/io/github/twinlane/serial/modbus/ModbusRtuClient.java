package io.github.twinlane.serial.modbus;

import com.fazecast.jSerialComm.SerialPort;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.codec.Crc16;
import io.github.twinlane.serial.internal.Ports;
import io.github.twinlane.spi.CorruptDataException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus RTU client (master) on one serial line: read holding and input registers (0x03, 0x04),
 * write single and multiple registers (0x06, 0x10). Respects the 3.5-character silence between
 * frames, checks CRC-16/MODBUS, unit and function of every response, drops stale bytes before each
 * request, and surfaces exception responses as {@link ModbusErrorResponse} and missing responses as
 * {@link ModbusTimeoutException}.
 *
 * <p>Threading: one request at a time (the bus is half duplex); requests may come from different
 * threads if the callers serialise them with a lock, as {@link ModbusPollDriver}'s polls and writes
 * do. Blocks for up to the response timeout per request. Allocates nothing per request.
 */
public final class ModbusRtuClient implements AutoCloseable {
    private static final int READ_HOLDING = 0x03;
    private static final int READ_INPUT = 0x04;
    private static final int WRITE_SINGLE = 0x06;
    private static final int WRITE_MULTIPLE = 0x10;

    private final SerialConfig config;
    private final long responseTimeoutNanos;
    private final long silenceNanos;
    private final byte[] tx = new byte[260];
    private final byte[] rx = new byte[260];
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong errorResponses = new AtomicLong();
    private final AtomicLong staleBytes = new AtomicLong();
    private volatile SerialPort port;
    private long lastActivity;

    /**
     * A client.
     *
     * @param config the serial line
     * @param responseTimeout how long to wait for a complete response, 1 ms to 10 s
     */
    public ModbusRtuClient(SerialConfig config, Duration responseTimeout) {
        if (responseTimeout == null || responseTimeout.toMillis() < 1 || responseTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("responseTimeout must be from 1 ms to 10 s, was " + io.github.twinlane.Durations.human(responseTimeout));
        }
        this.config = config;
        this.responseTimeoutNanos = responseTimeout.toNanos();
        // the spec: 3.5 character times, but a fixed 1.75 ms above 19200 baud
        this.silenceNanos = config.baudRate() > 19_200 ? 1_750_000 : config.characterNanos() * 7 / 2;
    }

    /**
     * Opens the line.
     *
     * @throws IOException if it cannot be opened, with the preflight's diagnosis
     */
    public void open() throws IOException {
        port = Ports.open(config, SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 5);
        lastActivity = System.nanoTime();
    }

    /**
     * Reads holding registers (0x03).
     *
     * @param unit the device, 1 to 247
     * @param address the first register, 0 to 65535
     * @param count how many, 1 to 125
     * @param into where the values go, from index 0, each 0 to 65535
     * @throws ModbusErrorResponse if the device refused
     * @throws ModbusTimeoutException if no response came in time
     * @throws CorruptDataException if the response failed its CRC or did not match the request
     * @throws IOException if the line is gone
     */
    public void readHoldingRegisters(int unit, int address, int count, int[] into) throws IOException {
        read(READ_HOLDING, unit, address, count, into);
    }

    /**
     * Reads input registers (0x04). As {@link #readHoldingRegisters}.
     *
     * @param unit the device, 1 to 247
     * @param address the first register
     * @param count how many, 1 to 125
     * @param into where the values go
     * @throws IOException as {@link #readHoldingRegisters}
     */
    public void readInputRegisters(int unit, int address, int count, int[] into) throws IOException {
        read(READ_INPUT, unit, address, count, into);
    }

    private void read(int function, int unit, int address, int count, int[] into) throws IOException {
        check(unit, address, count, 125);
        if (into.length < count) {
            throw new IllegalArgumentException("into must hold count (" + count + ") values, has " + into.length);
        }
        tx[0] = (byte) unit;
        tx[1] = (byte) function;
        put16(2, address);
        put16(4, count);
        transact(unit, function, 6, 5 + 2 * count);
        if ((rx[2] & 0xFF) != 2 * count) {
            corrupt.incrementAndGet();
            throw new CorruptDataException("Modbus response byte count " + (rx[2] & 0xFF) + ", expected " + 2 * count);
        }
        for (int i = 0; i < count; i++) {
            into[i] = ((rx[3 + 2 * i] & 0xFF) << 8) | (rx[4 + 2 * i] & 0xFF);
        }
    }

    /**
     * Writes one holding register (0x06).
     *
     * @param unit the device, 1 to 247
     * @param address the register
     * @param value 0 to 65535
     * @throws IOException as {@link #readHoldingRegisters}
     */
    public void writeSingleRegister(int unit, int address, int value) throws IOException {
        check(unit, address, 1, 1);
        checkValue(value);
        tx[0] = (byte) unit;
        tx[1] = (byte) WRITE_SINGLE;
        put16(2, address);
        put16(4, value);
        transact(unit, WRITE_SINGLE, 6, 8);
    }

    /**
     * Writes consecutive holding registers (0x10).
     *
     * @param unit the device, 1 to 247
     * @param address the first register
     * @param values the values, each 0 to 65535
     * @param count how many of them, 1 to 123
     * @throws IOException as {@link #readHoldingRegisters}
     */
    public void writeMultipleRegisters(int unit, int address, int[] values, int count) throws IOException {
        check(unit, address, count, 123);
        tx[0] = (byte) unit;
        tx[1] = (byte) WRITE_MULTIPLE;
        put16(2, address);
        put16(4, count);
        tx[6] = (byte) (2 * count);
        for (int i = 0; i < count; i++) {
            checkValue(values[i]);
            put16(7 + 2 * i, values[i]);
        }
        transact(unit, WRITE_MULTIPLE, 7 + 2 * count, 8);
    }

    private static void check(int unit, int address, int count, int maxCount) {
        if (unit < 1 || unit > 247) {
            throw new IllegalArgumentException("unit must be from 1 to 247, was " + unit);
        }
        if (address < 0 || address > 0xFFFF) {
            throw new IllegalArgumentException("address must be from 0 to 65535, was " + address);
        }
        if (count < 1 || count > maxCount || address + count > 0x10000) {
            throw new IllegalArgumentException("count must be from 1 to " + maxCount + " and stay within 65536 registers, was "
                    + count + " at address " + address);
        }
    }

    private static void checkValue(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("register value must be from 0 to 65535, was " + value);
        }
    }

    private void put16(int at, int v) {
        tx[at] = (byte) (v >>> 8);
        tx[at + 1] = (byte) v;
    }

    private void transact(int unit, int function, int len, int expected) throws IOException {
        SerialPort p = port;
        if (p == null) {
            throw new IOException("Modbus line " + config.path() + " is not open");
        }
        requests.incrementAndGet();
        int crc = Crc16.MODBUS.of(tx, 0, len);
        tx[len] = (byte) crc;
        tx[len + 1] = (byte) (crc >>> 8);
        dropStale(p);
        long quietUntil = lastActivity + silenceNanos;
        long now;
        while ((now = System.nanoTime()) - quietUntil < 0) {
            LockSupport.parkNanos(quietUntil - now);
        }
        if (p.writeBytes(tx, len + 2) != len + 2) {
            throw new IOException("could not write to " + config.path() + " (errno " + p.getLastErrorCode() + ")");
        }
        long deadline = System.nanoTime() + responseTimeoutNanos;
        int have = 0;
        int need = expected;
        while (have < need) {
            if (System.nanoTime() - deadline > 0) {
                lastActivity = System.nanoTime();
                timeouts.incrementAndGet();
                throw new ModbusTimeoutException("no response from Modbus unit " + unit + " to function 0x"
                        + Integer.toHexString(function) + " within " + responseTimeoutNanos / 1_000_000 + " ms (" + have
                        + " of " + need + " bytes): check the unit id, baud rate, wiring and bus termination");
            }
            int n = p.readBytes(rx, need - have, have);
            if (n < 0) {
                throw new IOException(config.path() + " is gone (read -1, errno " + p.getLastErrorCode() + ")");
            }
            have += n;
            if (have >= 2 && (rx[1] & 0x80) != 0) {
                need = 5;
            }
        }
        lastActivity = System.nanoTime();
        int got = (rx[need - 2] & 0xFF) | ((rx[need - 1] & 0xFF) << 8);
        if (got != Crc16.MODBUS.of(rx, 0, need - 2)) {
            corrupt.incrementAndGet();
            throw new CorruptDataException("Modbus response from unit " + unit + " failed its CRC: line noise or wrong baud rate");
        }
        if ((rx[0] & 0xFF) != unit || (rx[1] & 0x7F) != function) {
            corrupt.incrementAndGet();
            throw new CorruptDataException("Modbus response from unit " + (rx[0] & 0xFF) + " function 0x"
                    + Integer.toHexString(rx[1] & 0x7F) + " does not answer unit " + unit + " function 0x"
                    + Integer.toHexString(function) + ": another master on the bus, or a late reply");
        }
        if ((rx[1] & 0x80) != 0) {
            errorResponses.incrementAndGet();
            throw new ModbusErrorResponse(unit, function, rx[2] & 0xFF);
        }
    }

    /** Bytes waiting before a request can only be a late reply to an earlier one: drop them. */
    private void dropStale(SerialPort p) throws IOException {
        int avail;
        while ((avail = p.bytesAvailable()) > 0) {
            int n = p.readBytes(rx, Math.min(avail, rx.length));
            if (n < 0) {
                throw new IOException(config.path() + " is gone (read -1)");
            }
            staleBytes.addAndGet(n);
            lastActivity = System.nanoTime();
        }
        if (avail < 0) {
            throw new IOException(config.path() + " is gone (bytesAvailable -1)");
        }
    }

    /**
     * What happened on this line so far.
     *
     * @return the counters
     */
    public ModbusStats stats() {
        return new ModbusStats(requests.get(), timeouts.get(), corrupt.get(), errorResponses.get(), staleBytes.get());
    }

    /** Closes the line. Idempotent; any thread; a request in progress fails with an IOException. */
    @Override
    public void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
    }
}
