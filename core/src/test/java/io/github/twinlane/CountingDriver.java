package io.github.twinlane;

import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** A test device that produces 0, 1, 2, ... up to a limit and records every command written. */
final class CountingDriver extends AbstractDeviceDriver<LongBox, LongBox> {
    final AtomicLong produced = new AtomicLong();
    final ConcurrentLinkedQueue<Long> written = new ConcurrentLinkedQueue<>();
    final AtomicBoolean failWrites = new AtomicBoolean();
    private final long limit;
    private final long readPauseNanos;
    private volatile boolean closed;

    CountingDriver(long limit, ReadMode mode, long readPauseNanos) {
        super("counting", LongBox.TYPE, LongBox.TYPE, mode);
        this.limit = limit;
        this.readPauseNanos = readPauseNanos;
    }





    @Override
    public void open() {
        closed = false;
    }

    @Override
    public boolean read(LongBox into) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        long n = produced.get();
        if (n >= limit) {
            if (readMode() == ReadMode.BLOCKING) {
                LockSupport.parkNanos(1_000_000);
            }
            return false;
        }
        if (readPauseNanos > 0) {
            LockSupport.parkNanos(readPauseNanos);
        }
        into.value = n;
        produced.set(n + 1);
        return true;
    }

    @Override
    public void write(LongBox command) throws IOException {
        if (failWrites.get()) {
            throw new IOException("simulated write failure");
        }
        written.add(command.value);
    }

    @Override
    public void close() {
        closed = true;
    }
}
