package io.github.twinlane.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A kernel pty made in this JVM (twinlane-test's {@link io.github.twinlane.test.Pty}, through JNA) with
 * an echo peer on its master side: a serial device that answers every byte at once. The benchmark's
 * channel or bare loop opens {@link #a}, a real tty, through the real jSerialComm library.
 *
 * <p>The peer is a thread of this JVM, so the CPU plan keeps it off the fast lane's core, as a real
 * device's CPU would be; an echo in another process lands on the reserved core too and preempts the
 * lane it is meant to measure (tried with socat's EXEC:cat: the plan-on round trip p99 rose from 0.3 ms
 * to 1.9 ms with nothing else running). The peer shares core 0 with the cameras instead, which is what
 * the serial loop's figures with cameras carry. No relay process sits between the two ends.
 */
final class Pty implements AutoCloseable {
    final Path a;
    private final io.github.twinlane.test.Pty pty;
    private final Thread echo;
    private volatile boolean running = true;

    /** Kernel ptys need Linux. */
    static boolean available() {
        return io.github.twinlane.test.Rig.isLinux();
    }

    Pty(Path dir) throws IOException {
        pty = io.github.twinlane.test.Pty.open(dir.resolve("ttyA"));
        a = pty.link();
        echo = new Thread(() -> {
            byte[] buf = new byte[256];
            while (running) {
                int n = pty.read(buf, 0, buf.length, Duration.ofMillis(100));
                if (n < 0) {
                    return;
                }
                int done = 0;
                while (done < n && running) {
                    int w = pty.write(buf, done, n - done);
                    if (w < 0) {
                        return;
                    }
                    done += w;
                }
            }
        }, "echo-peer");
        echo.setDaemon(true);
        echo.start();
    }

    @Override
    public void close() {
        running = false;
        try {
            echo.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pty.close();
    }
}
