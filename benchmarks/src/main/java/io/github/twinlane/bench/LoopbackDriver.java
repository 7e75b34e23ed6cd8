package io.github.twinlane.bench;

import io.github.twinlane.MessageType;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/** A device whose write hands each command's send time to a recorder, and which never produces data. */
public final class LoopbackDriver implements DeviceDriver<Stamp, Stamp> {
    private final LongConsumer onWrite;
    private volatile boolean closed;

    /**
     * A loopback device.
     *
     * @param onWrite gets each written command's send time
     */
    public LoopbackDriver(LongConsumer onWrite) {
        this.onWrite = onWrite;
    }

    @Override
    public String describe() {
        return "loopback";
    }

    @Override
    public MessageType<Stamp> commandType() {
        return Stamp.TYPE;
    }

    @Override
    public MessageType<Stamp> dataType() {
        return Stamp.TYPE;
    }

    @Override
    public ReadMode readMode() {
        return ReadMode.BLOCKING;
    }

    @Override
    public void open() {
        closed = false;
    }

    @Override
    public boolean read(Stamp into) {
        while (!closed && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(50_000_000L);
        }
        return false;
    }

    @Override
    public void write(Stamp command) {
        onWrite.accept(command.sentNanos);
    }

    @Override
    public void close() {
        closed = true;
    }
}
