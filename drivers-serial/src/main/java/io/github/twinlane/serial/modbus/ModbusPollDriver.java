package io.github.twinlane.serial.modbus;

import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus RTU drive polled at a fixed rate, as a fast-lane device: each {@link #read} waits for the
 * next poll deadline and reads the register block; each {@link #write} is a write transaction of its
 * own, between polls. A timeout or exception response to a poll is delivered as a block with that
 * {@link PollStatus} (the values stale); several timeouts in a row mean the drive is gone, and the
 * channel reconnects.
 *
 * <p>The bus is half duplex, so polls and writes take turns: one transaction at a time, and a write
 * that is waiting goes before the next poll. The driver keeps no queue: the channel's command ring is
 * the backpressure. A write returns once its frame is on the bus, so the channel counts a command
 * written only when it was, nothing is dropped here, and nothing sent before a loss or a close is
 * written after it (a reopen starts with nothing pending).
 *
 * <p>Threading and blocking:
 * <ul>
 *   <li>{@link #open} and {@link #read}: the channel's reader thread. {@code read} waits for the next
 *       poll deadline, then for a write in progress or waiting (one write transaction), then for its
 *       own transaction (at most the response timeout).</li>
 *   <li>{@link #write}: one thread at a time (the channel's write gate: its writer, an emergency stop,
 *       the watchdog's or the close's safe command), concurrently with {@code read}, or on the reader's
 *       own thread between reads (a slow-lane channel's I/O thread). It waits for the poll in progress,
 *       if any, then for its own transaction: when the drive does not answer, up to about twice the
 *       response timeout. Keep that under the channel's write timeout. A write still waiting for its
 *       turn five seconds past the response timeout fails with an {@link IOException}: the
 *       transaction in progress is stuck (an adapter that does not return from a write). That is a
 *       backstop; the channel's write timeout, when shorter, acts first and closes the driver.</li>
 *   <li>{@link #close}: any thread. A write waiting for its turn throws at once; a transaction in
 *       progress fails when the port closes; a read waiting for its deadline throws within 5 ms.</li>
 * </ul>
 *
 * <p>Allocates nothing per poll or write.
 */
public final class ModbusPollDriver extends AbstractDeviceDriver<RegisterWrite, RegisterBlock> {
    private final ModbusRtuClient client;
    private final int unit;
    private final RegisterTable table;
    private final int address;
    private final int count;
    private final long periodNanos;
    private final long turnBoundNanos;
    private final int maxTimeouts;
    private final LineTurns turns = new LineTurns();
    private final AtomicLong writeErrors = new AtomicLong();
    private long next;
    private long sequence;
    private int timeoutsInARow;

    /**
     * A poller.
     *
     * @param config the serial line
     * @param unit the drive's unit id, 1 to 247
     * @param table which registers to poll
     * @param address the first register
     * @param count how many, 1 to 125
     * @param period the poll period, 1 ms to 60 s
     * @param responseTimeout the response timeout, less than the period; a write may block for about
     *     twice this when the drive does not answer (the poll in progress, then its own transaction), so
     *     give the channel a {@code ChannelConfig...writeTimeout} well above twice this, with room for a
     *     loaded machine's scheduling delays: a write past the channel's write timeout counts as a stuck
     *     device and fails the channel
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
        this.turnBoundNanos = responseTimeout.toNanos() + 5_000_000_000L;
        this.unit = unit;
        this.table = table;
        this.address = address;
        this.count = count;
        this.periodNanos = period.toNanos();
        this.maxTimeouts = maxTimeoutsInARow;
    }

    /**
     * Opens the line. Nothing sent before the last close is pending: there is no queue to replay.
     * The reader thread.
     *
     * @throws IOException if the port cannot be opened (with the preflight's diagnosis), or a
     *     transaction from before the last close still holds the line
     */
    @Override
    public void open() throws IOException {
        turns.awaitIdle(turnBoundNanos, describe());
        client.open();
        timeoutsInARow = 0;
        next = System.nanoTime();
        turns.open();
    }

    /**
     * Waits for the next poll deadline, then polls the register block. The reader thread.
     *
     * @param into filled with the block and its status
     * @return true: every poll is a block, even one that timed out
     * @throws IOException if the line is gone or closed, or the drive missed {@code maxTimeoutsInARow} polls in a row
     */
    @Override
    public boolean read(RegisterBlock into) throws IOException {
        long now;
        while ((now = System.nanoTime()) - next < 0) {
            if (turns.closed()) {
                throw new IOException(describe() + " closed");
            }
            LockSupport.parkNanos(Math.min(next - now, 5_000_000L));
        }
        next += periodNanos;
        if (now - next > periodNanos) {
            next = now + periodNanos; // fell behind: poll at the rate, never in a burst
        }
        if (!turns.takeForPoll()) {
            throw new IOException(describe() + " closed");
        }
        try {
            poll(into);
        } finally {
            turns.release();
        }
        return true;
    }

    private void poll(RegisterBlock into) throws IOException {
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
    }

    /**
     * Writes one command to the drive now: waits for its turn on the line (the poll in progress, if
     * any), sends the frame and waits for the acknowledgement. Returns once the frame is on the bus;
     * a drive that refuses it, does not acknowledge it in time or answers garbled is counted in
     * {@link #writeErrors()}, since the frame did reach the bus. See the class comment for threads and
     * bounds.
     *
     * @param command the registers to write; read during the call, not kept
     * @throws IllegalArgumentException if the command's address, count or a value is out of range;
     *     nothing is sent
     * @throws IOException if the line is closed or closes meanwhile, is gone, or stayed busy past the
     *     bound; the frame is not known to be on the bus
     */
    @Override
    public void write(RegisterWrite command) throws IOException {
        turns.takeForWrite(turnBoundNanos, describe());
        try {
            if (command.count == 1) {
                client.writeSingleRegister(unit, command.address, command.values[0]);
            } else {
                client.writeMultipleRegisters(unit, command.address, command.values, command.count);
            }
        } catch (ModbusErrorResponse | ModbusTimeoutException | CorruptDataException e) {
            writeErrors.incrementAndGet();
        } finally {
            turns.release();
        }
    }

    /**
     * Writes that reached the bus but that the drive refused, did not acknowledge in time, or answered
     * garbled. Any thread.
     *
     * @return the count
     */
    public long writeErrors() {
        return writeErrors.get();
    }

    /**
     * The line's counters.
     *
     * @return the statistics
     */
    public ModbusStats stats() {
        return client.stats();
    }

    /**
     * Closes the line. Any thread; idempotent. A write waiting for its turn throws at once, a
     * transaction in progress fails with an {@link IOException} as the port closes, and a read waiting
     * for its deadline throws. Nothing is kept for the next {@link #open}.
     */
    @Override
    public void close() {
        turns.close();
        client.close();
    }
}
