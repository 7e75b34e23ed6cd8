package io.github.twinlane.examples;

import io.github.twinlane.serial.modbus.ExceptionCode;
import io.github.twinlane.serial.modbus.PollStatus;
import io.github.twinlane.serial.modbus.RegisterBlock;
import io.github.twinlane.serial.modbus.RegisterWrite;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.concurrent.locks.LockSupport;

/**
 * A Modbus drive in software with the register map of {@link ModbusDrive}: holding register 0 is
 * the speed setpoint (rpm), 1 the actual speed (follows the setpoint), 2 the status word (bit 0:
 * running), 3 the drive temperature (0.1 °C). Polled at a fixed rate like {@code ModbusPollDriver}.
 */
final class SimulatedModbusDrive extends AbstractDeviceDriver<RegisterWrite, RegisterBlock> {
    private final int[] registers = new int[16];
    private final long periodNanos;
    private final int address;
    private final int count;
    private volatile int pendingSetpoint = -1;
    private long next;
    private long sequence;
    private volatile boolean closed;

    SimulatedModbusDrive(long periodNanos, int address, int count) {
        super("simulated Modbus drive", RegisterWrite.TYPE, RegisterBlock.TYPE, ReadMode.BLOCKING);
        this.periodNanos = periodNanos;
        this.address = address;
        this.count = count;
        registers[3] = 250;
    }





    @Override
    public void open() {
        closed = false;
        next = System.nanoTime();
    }

    @Override
    public boolean read(RegisterBlock into) throws java.io.IOException {
        long now;
        while ((now = System.nanoTime()) - next < 0) {
            if (closed) {
                throw new java.io.IOException("closed");
            }
            LockSupport.parkNanos(next - now);
        }
        next += periodNanos;
        int sp = pendingSetpoint;
        if (sp >= 0) {
            registers[0] = sp;
            pendingSetpoint = -1;
        }
        registers[1] += (registers[0] - registers[1]) / 10;
        registers[2] = registers[1] != 0 ? 1 : 0;
        into.sequence = sequence++;
        into.address = address;
        into.count = count;
        if (address + count > registers.length) {
            into.status = PollStatus.EXCEPTION;
            into.exception = ExceptionCode.ILLEGAL_DATA_ADDRESS;
            return true;
        }
        System.arraycopy(registers, address, into.values, 0, count);
        into.status = PollStatus.OK;
        into.exception = null;
        return true;
    }

    @Override
    public void write(RegisterWrite command) {
        if (command.address == 0 && command.count >= 1) {
            pendingSetpoint = command.values[0];
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
