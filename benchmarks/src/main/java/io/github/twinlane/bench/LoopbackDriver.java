package io.github.twinlane.bench;

import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/** A device whose write hands each command's send time to a recorder, and which never produces data. */
public final class LoopbackDriver extends AbstractDeviceDriver<Stamp, Stamp> {
    private final LongConsumer onWrite;
    private volatile boolean closed;

    /**
     * A loopback device.
     *
     * @param onWrite gets each written command's send time
     */
    public LoopbackDriver(LongConsumer onWrite) {
        super("loopback", Stamp.TYPE, Stamp.TYPE, ReadMode.BLOCKING);
        this.onWrite = onWrite;
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
