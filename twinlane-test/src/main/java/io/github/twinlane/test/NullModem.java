package io.github.twinlane.test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two kernel ttys joined like a null-modem cable: bytes written to one arrive at the other. For a
 * peer that must open a serial port of its own (a libmodbus server, a second jSerialComm port)
 * rather than read a {@link Pty}'s master.
 *
 * <p>Made of two {@link Pty} pairs whose masters two relay threads of this JVM join
 * ({@code pty-relay-a>b}, {@code pty-relay-b>a}). {@link #unplug()} closes both masters; {@link #replug()}
 * makes new pairs behind the same two links.
 *
 * <p>Bytes the far side has no room for (it stopped reading) are dropped and counted in
 * {@link #dropped()}, as an overrun on a real line would lose them; the relay never blocks.
 */
public final class NullModem implements AutoCloseable {
    private final Pty a;
    private final Pty b;
    private final AtomicLong dropped = new AtomicLong();
    private Thread ab;
    private Thread ba;
    private volatile boolean running;

    private NullModem(Pty a, Pty b) {
        this.a = a;
        this.b = b;
    }

    /** Makes both ends, with symlinks {@code dir/ttyA} and {@code dir/ttyB}. */
    public static NullModem open(Path dir) throws IOException {
        NullModem m = new NullModem(Pty.open(dir.resolve("ttyA")), Pty.open(dir.resolve("ttyB")));
        m.startRelay();
        return m;
    }

    /** One end's device path. */
    public Path a() {
        return a.link();
    }

    /** The other end's device path. */
    public Path b() {
        return b.link();
    }

    /** Bytes the relay dropped because the receiving tty was full. */
    public long dropped() {
        return dropped.get();
    }

    private void startRelay() {
        running = true;
        ab = relay(a, b, "pty-relay-a>b");
        ba = relay(b, a, "pty-relay-b>a");
    }

    private Thread relay(Pty from, Pty to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            while (running) {
                int n = from.read(buf, 0, buf.length, Duration.ofMillis(20));
                if (n > 0) {
                    int done = 0;
                    long deadline = System.nanoTime() + 100_000_000L;
                    while (done < n && running) {
                        int w = to.write(buf, done, n - done);
                        if (w < 0) {
                            break;
                        }
                        done += w;
                        if (done < n) {
                            if (System.nanoTime() - deadline > 0) {
                                break;
                            }
                            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                        }
                    }
                    dropped.addAndGet(n - done);
                } else if (n < 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void stopRelay() {
        running = false;
        for (Thread t : new Thread[] {ab, ba}) {
            if (t != null) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Unplugs the cable: both ends' reads fail until {@link #replug()}. */
    public void unplug() {
        stopRelay();
        a.unplug();
        b.unplug();
    }

    /** Plugs a new cable in behind the same two links. */
    public void replug() throws IOException {
        stopRelay();
        a.replug();
        b.replug();
        startRelay();
    }

    @Override
    public void close() {
        stopRelay();
        a.close();
        b.close();
    }

    @Override
    public String toString() {
        return "NullModem[" + a + " <-> " + b + ", dropped " + dropped() + "]";
    }
}
