package io.github.twinlane.serial.modbus;

import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus RTU drive polled at a fixed rate, as a fast-lane device: each read waits for the next
 * poll deadline, performs the writes queued since the last poll (the bus is half duplex: only the
 * reader thread talks on it), then reads the register block. A timeout or exception response is
 * delivered as a block with that {@link PollStatus} (the values stale); several timeouts in a row
 * mean the drive is gone, and the channel reconnects.
 */
public final class ModbusPollDriver extends AbstractDeviceDriver<RegisterWrite, RegisterBlock> {
    private static final int QUEUE = 64;
    private final ModbusRtuClient client;
    private final SerialConfig config;
    private final int unit;
    private final RegisterTable table;
    private final int address;
    private final int count;
    private final long periodNanos;
    private final int maxTimeouts;
    private final RegisterWrite[] queue = new RegisterWrite[QUEUE];
    private final AtomicLong qHead = new AtomicLong();
    private final AtomicLong qTail = new AtomicLong();
    private final AtomicLong writesDropped = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private long next;
    private long sequence;
    private int timeoutsInARow;
    private volatile boolean closed = true;

    /**
     * A poller.
     *
     * @param config the serial line
     * @param unit the drive's unit id, 1 to 247
     * @param table which registers to poll
     * @param address the first register
     * @param count how many, 1 to 125
     * @param period the poll period, 1 ms to 60 s
     * @param responseTimeout the response timeout, less than the period
     * @param maxTimeoutsInARow timeouts in a row before the drive counts as gone, 1 or more
     */
    public ModbusPollDriver(SerialConfig config, int unit, RegisterTable table, int address, int count, Duration period,
                            Duration responseTimeout, int maxTimeoutsInARow) {
        super(java.util.Objects.requireNonNull(config, "config").describe() + " unit " + unit, RegisterWrite.TYPE,
                RegisterBlock.TYPE, ReadMode.BLOCKING);
        if (period == null || period.toMillis() < 1 || period.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("period must be from 1 ms to 60 s, was " + period);
        }
        if (responseTimeout == null || responseTimeout.compareTo(period) >= 0) {
            throw new IllegalArgumentException("responseTimeout must be shorter than the period (" + period + "), was "
                    + responseTimeout);
        }
        if (unit < 1 || unit > 247) {
            throw new IllegalArgumentException("unit must be from 1 to 247, was " + unit);
        }
        if (count < 1 || count > RegisterBlock.MAX || address < 0 || address + count > 0x10000) {
            throw new IllegalArgumentException("count must be from 1 to 125 within 65536 registers, was " + count
                    + " at address " + address);
        }
        if (maxTimeoutsInARow < 1) {
            throw new IllegalArgumentException("maxTimeoutsInARow must be 1 or more, was " + maxTimeoutsInARow);
        }
        this.client = new ModbusRtuClient(config, responseTimeout);
        this.config = config;
        this.unit = unit;
        this.table = table;
        this.address = address;
        this.count = count;
        this.periodNanos = period.toNanos();
        this.maxTimeouts = maxTimeoutsInARow;
        for (int i = 0; i < QUEUE; i++) {
            queue[i] = new RegisterWrite();
        }
    }

    @Override
    public void open() throws IOException {
        client.open();
        closed = false;
        timeoutsInARow = 0;
        next = System.nanoTime();
    }

    @Override
    public boolean read(RegisterBlock into) throws IOException {
        long now;
        while ((now = System.nanoTime()) - next < 0) {
            if (closed) {
                throw new IOException(describe() + " closed");
            }
            LockSupport.parkNanos(Math.min(next - now, 5_000_000L));
        }
        next += periodNanos;
        if (now - next > periodNanos) {
            next = now + periodNanos; // fell behind: poll at the rate, never in a burst
        }
        flushWrites();
        into.sequence = sequence++;
        into.address = address;
        into.count = count;
        try {
            if (table == RegisterTable.HOLDING) {
                client.readHoldingRegisters(unit, address, count, into.values);
            } else {
                client.readInputRegisters(unit, address, count, into.values);
            }
            into.status = PollStatus.OK;
            into.exception = null;
            timeoutsInARow = 0;
        } catch (ModbusTimeoutException e) {
            if (++timeoutsInARow >= maxTimeouts) {
                throw new IOException(describe() + " did not answer " + timeoutsInARow + " polls in a row", e);
            }
            into.status = PollStatus.TIMEOUT;
            into.exception = null;
        } catch (ModbusErrorResponse e) {
            into.status = PollStatus.EXCEPTION;
            into.exception = e.code();
            timeoutsInARow = 0;
        }
        return true;
    }

    private void flushWrites() throws IOException {
        long tail = qTail.get();
        long head = qHead.get();
        for (; tail < head; tail++) {
            RegisterWrite w = queue[(int) (tail & (QUEUE - 1))];
            try {
                if (w.count == 1) {
                    client.writeSingleRegister(unit, w.address, w.values[0]);
                } else {
                    client.writeMultipleRegisters(unit, w.address, w.values, w.count);
                }
            } catch (ModbusErrorResponse | ModbusTimeoutException | IllegalArgumentException e) {
                writeErrors.incrementAndGet();
            }
        }
        qTail.lazySet(tail);
    }

    @Override
    public void write(RegisterWrite command) throws IOException {
        if (closed) {
            throw new IOException(describe() + " closed");
        }
        long head = qHead.get();
        if (head - qTail.get() >= QUEUE) {
            writesDropped.incrementAndGet();
            return;
        }
        command.copyTo(queue[(int) (head & (QUEUE - 1))]);
        qHead.lazySet(head + 1);
    }

    /**
     * Writes the device refused or did not acknowledge.
     *
     * @return the count
     */
    public long writeErrors() {
        return writeErrors.get();
    }

    /**
     * Writes dropped because 64 were already waiting for the next poll.
     *
     * @return the count
     */
    public long writesDropped() {
        return writesDropped.get();
    }

    /**
     * The line's counters.
     *
     * @return the statistics
     */
    public ModbusStats stats() {
        return client.stats();
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }
}
