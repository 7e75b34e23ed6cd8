package io.github.twinlane.bench;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A socat pty pair with an echo peer on one end: a serial device that answers every byte at once.
 * The peer is a thread of this JVM, so the CPU plan keeps it off the fast lane's core, as a real
 * device's CPU would be; an echo in another process (socat's EXEC:cat) lands on the reserved core
 * too and preempts the lane it is meant to measure (tried: the plan-on round trip p99 rose from
 * 0.3 ms to 1.9 ms with nothing else running). The peer shares core 0 with the cameras instead,
 * which is what the serial loop's figures with cameras carry.
 */
final class Pty implements AutoCloseable {
    final Path a;
    private final Process socat;
    private final SerialPort peer;
    private final Thread echo;
    private volatile boolean running = true;

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/socat"));
    }

    Pty(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        a = dir.resolve("ttyA");
        Path b = dir.resolve("ttyB");
        Files.deleteIfExists(a);
        Files.deleteIfExists(b);
        socat = new ProcessBuilder(relayCommand(a, b)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(a) && Files.exists(b))) {
            if (System.nanoTime() > deadline) {
                throw new IOException("socat did not start");
            }
            Thread.sleep(5);
        }
        peer = SerialPort.getCommPort(b.toString());
        peer.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        peer.openPort();
        echo = new Thread(() -> {
            byte[] buf = new byte[256];
            while (running) {
                int n = peer.readBytes(buf, buf.length);
                if (n < 0) {
                    return;
                }
                if (n > 0) {
                    peer.writeBytes(buf, n);
                }
            }
        }, "echo-peer");
        echo.setDaemon(true);
        echo.start();
    }

    /**
     * socat relays every byte between the two ptys; a real cable has no such process. Unpinned, the
     * scheduler moves it onto the fast lane's reserved core whenever the cameras fill the others, so
     * it is started on the non-reserved CPUs (taskset here is the test rig's, not the library's).
     */
    private static java.util.List<String> relayCommand(Path a, Path b) {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            cmd.addAll(java.util.List.of("taskset", "-c", "0-" + (cpus - 2)));
        }
        cmd.addAll(java.util.List.of("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b));
        return cmd;
    }

    @Override
    public void close() {
        running = false;
        try {
            echo.join(1000);
            peer.closePort();
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
