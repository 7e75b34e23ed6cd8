package io.github.twinlane.sim;

import io.github.twinlane.MessageType;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;

/**
 * What simulated devices share: the driver's constant facts, faults, and an open/closed flag that
 * aborts blocked reads.
 *
 * @param <C> command type
 * @param <T> data type
 */
abstract class SimDevice<C, T> extends AbstractDeviceDriver<C, T> {
    private final SimFaults faults = new SimFaults();
    private volatile boolean closed = true;
    private volatile Thread reader;

    SimDevice(String description, MessageType<C> commandType, MessageType<T> dataType, ReadMode readMode) {
        super(description, commandType, dataType, readMode);
    }

    /** @return the faults to inject */
    public SimFaults faults() {
        return faults;
    }

    boolean isClosed() {
        return closed;
    }

    void markOpen() throws IOException {
        if (faults.unplugged()) {
            throw new IOException("simulated: device not present (unplugged)");
        }
        closed = false;
    }

    void markClosed() {
        closed = true;
        Thread t = reader;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    void enterRead() {
        reader = Thread.currentThread();
    }

    void check() throws IOException {
        if (closed) {
            throw new IOException("simulated: device closed");
        }
        if (faults.unplugged()) {
            throw new IOException("simulated: device unplugged");
        }
    }
}
