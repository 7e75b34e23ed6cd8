package io.github.twinlane;

import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/** A device that records every command written, optionally slowly, and produces a value every millisecond. */
class RecordingDriver extends AbstractDeviceDriver<LongBox, LongBox> {
    final List<Long> written = new CopyOnWriteArrayList<>();
    volatile long writeNanos;
    volatile boolean inWrite;
    private volatile boolean closed;
    private long next;

    RecordingDriver() {
        super("recording", LongBox.TYPE, LongBox.TYPE, ReadMode.BLOCKING);
    }





    @Override
    public void open() {
        closed = false;
    }

    @Override
    public boolean read(LongBox into) throws IOException {
        LockSupport.parkNanos(1_000_000);
        if (closed) {
            throw new IOException("closed");
        }
        into.value = next++;
        return true;
    }

    @Override
    public void write(LongBox command) {
        inWrite = true;
        long w = writeNanos;
        if (w > 0) {
            LockSupport.parkNanos(w); // a slow device
        }
        written.add(command.value);
        inWrite = false;
    }

    @Override
    public void close() {
        closed = true;
    }
}
