package io.github.twinlane.internal;

import io.github.twinlane.LongBox;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A device for the unit tests of the safety, lifecycle and supervisor classes: it records every command
 * written, in order; its opens can be made to fail, its writes to throw or to hang until released or
 * until the driver is closed (as the driver contract asks: close unblocks a write), its close to throw.
 * Reads never block and find nothing. Commands are {@link LongBox}es.
 */
public final class FakeDevice extends AbstractDeviceDriver<LongBox, LongBox> {
    /** Every command the device took, in order. */
    public final List<Long> written = new CopyOnWriteArrayList<>();
    public final AtomicInteger opens = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    /** Writes that began (including those that hung or threw). */
    public final AtomicInteger writesBegun = new AtomicInteger();
    /** The next this many opens throw. */
    public volatile int failOpens;
    /** Writes throw. */
    public volatile boolean failWrites;
    /** What close throws, or null. */
    public volatile RuntimeException closeThrows;
    /** A hung write ignores interrupts (as a write blocked in a native call does), ending only when released or closed. */
    public volatile boolean ignoreInterrupts;
    private volatile CountDownLatch hold;

    public FakeDevice(String name) {
        super(name, LongBox.TYPE, LongBox.TYPE, ReadMode.NON_BLOCKING);
    }

    public FakeDevice() {
        this("fake");
    }

    /** Writes from now on wait until {@link #releaseWrites()} or {@link #close()}. */
    public void hangWrites() {
        hold = new CountDownLatch(1);
    }

    /** Lets hung writes (and later ones) go on. */
    public void releaseWrites() {
        CountDownLatch h = hold;
        hold = null;
        if (h != null) {
            h.countDown();
        }
    }

    /** Waits (hang bound) until {@code n} writes began. */
    public void awaitWritesBegun(int n) {
        Await.until(n + " writes began", () -> writesBegun.get() >= n, () -> "began " + writesBegun.get());
    }

    @Override
    public void open() throws IOException {
        opens.incrementAndGet();
        if (failOpens > 0) {
            failOpens--;
            throw new IOException("no such device (scripted)");
        }
    }

    @Override
    public boolean read(LongBox into) {
        return false;
    }

    @Override
    public void write(LongBox command) throws IOException {
        writesBegun.incrementAndGet();
        if (failWrites) {
            throw new IOException("write failed (scripted)");
        }
        CountDownLatch h = hold;
        if (h != null) {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        if (!h.await(Await.HANG.toNanos(), TimeUnit.NANOSECONDS)) {
                            throw new IOException("hung past the hang bound");
                        }
                        break;
                    } catch (InterruptedException e) {
                        if (!ignoreInterrupts) {
                            Thread.currentThread().interrupt();
                            throw new IOException("interrupted in a hung write");
                        }
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (closedWhileHung) {
                closedWhileHung = false;
                throw new IOException("closed while the write hung");
            }
        }
        written.add(command.value);
    }

    private volatile boolean closedWhileHung;

    @Override
    public void close() {
        closes.incrementAndGet();
        if (hold != null) {
            closedWhileHung = true;
            releaseWrites();
        }
        RuntimeException e = closeThrows;
        if (e != null) {
            throw e;
        }
    }
}
