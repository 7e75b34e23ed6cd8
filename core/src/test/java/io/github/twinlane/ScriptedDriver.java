package io.github.twinlane;

import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A device whose behaviour a test scripts while it runs: slow writes, writes that hang until the
 * driver is closed (as the contract asks: close unblocks a write), writes that throw, reads that
 * behave like interruptible I/O (an interrupt closes the device). Records every command written, in
 * order, as the device saw it. Commands are {@link LongBox}es: tests send positive values, safe
 * commands are negative.
 */
class ScriptedDriver extends AbstractDeviceDriver<LongBox, LongBox> {
    /** Every command the device took, in the order it took them. */
    final List<Long> written = new CopyOnWriteArrayList<>();
    /** What it took since it was last opened. */
    final List<Long> writtenSinceOpen = new CopyOnWriteArrayList<>();
    /** Each write takes this long. */
    volatile long writeNanos;
    /** Writes hang (until {@link #close()} or this is cleared). */
    volatile boolean hang;
    /** Writes throw. */
    volatile boolean failWrites;
    /** A read interrupted closes the device, as a read on an interruptible channel does. */
    volatile boolean interruptibleReads;
    /** Called with each command's value as the device takes it, before the write returns. */
    volatile java.util.function.LongConsumer onWrite = v -> { };
    /** Unplugged: opens fail and reads throw, until plugged in again. */
    volatile boolean unplugged;
    /** Writes in progress now. */
    final AtomicInteger inWrite = new AtomicInteger();
    /** Writes that hung at some point. */
    final AtomicInteger hung = new AtomicInteger();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    private final Object lock = new Object();
    private volatile boolean closed = true;
    private final long readParkNanos;
    private long next;

    ScriptedDriver(MessageType<LongBox> commands, ReadMode mode, long readParkNanos) {
        super("scripted", commands, LongBox.TYPE, mode);
        this.readParkNanos = readParkNanos;
    }

    ScriptedDriver() {
        this(LongBox.TYPE, ReadMode.BLOCKING, 1_000_000);
    }

    @Override
    public void open() throws IOException {
        if (unplugged) {
            throw new IOException("no such device (unplugged)");
        }
        writtenSinceOpen.clear();
        closed = false;
        opens.incrementAndGet();
    }

    @Override
    public boolean read(LongBox into) throws IOException {
        LockSupport.parkNanos(readParkNanos);
        if (interruptibleReads && Thread.currentThread().isInterrupted()) {
            close();
            throw new ClosedByInterruptException();
        }
        if (closed || unplugged) {
            throw new IOException(unplugged ? "unplugged" : "closed");
        }
        if (readMode() == ReadMode.NON_BLOCKING) {
            return false; // nothing ready: the read's time is its work
        }
        into.value = next++;
        return true;
    }

    @Override
    public void write(LongBox command) throws IOException {
        inWrite.incrementAndGet();
        try {
            if (closed) {
                throw new IOException("the device is closed");
            }
            if (failWrites) {
                throw new IOException("write failed (scripted)");
            }
            if (hang) {
                hung.incrementAndGet();
                synchronized (lock) {
                    while (hang && !closed) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted in a hung write");
                        }
                    }
                }
                if (closed) {
                    throw new IOException("closed while the write hung");
                }
            }
            long w = writeNanos;
            if (w > 0) {
                LockSupport.parkNanos(w);
            }
            written.add(command.value);
            writtenSinceOpen.add(command.value);
            onWrite.accept(command.value);
        } finally {
            inWrite.decrementAndGet();
        }
    }

    /** Lets hung writes go on. */
    void release() {
        synchronized (lock) {
            hang = false;
            lock.notifyAll();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            closes.incrementAndGet();
            lock.notifyAll();
        }
    }

    /** @return the last value written, or null */
    Long last() {
        return written.isEmpty() ? null : written.get(written.size() - 1);
    }
}
