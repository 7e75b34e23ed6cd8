package io.github.twinlane.serial;

import io.github.twinlane.serial.codec.FrameDecoder;
import io.github.twinlane.serial.codec.FramingCodec;
import io.github.twinlane.test.Pty;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A motor drive at the far end of a kernel pty: takes commands, sends numbered telemetry frames at
 * a fixed rate ("T seq setpoint"), reading and writing the pty's master side.
 */
final class DrivePeer implements AutoCloseable {
    final List<String> commands = new CopyOnWriteArrayList<>();
    final AtomicLong sent = new AtomicLong();
    private final Pty port;
    private final FramingCodec codec;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile byte[] garbage;

    DrivePeer(Pty pty, FramingCodec codec, int hz) {
        this.codec = codec;
        this.port = pty;
        thread = new Thread(() -> run(1_000_000_000L / hz), "drive-peer");
        thread.setDaemon(true);
        thread.start();
    }

    void sendGarbage(byte[] bytes) {
        garbage = bytes;
    }

    private void run(long periodNanos) {
        FrameDecoder dec = codec.newDecoder();
        byte[] in = new byte[256];
        byte[] out = new byte[codec.maxEncodedLength(codec.maxFrame())];
        double setpoint = 0;
        long next = System.nanoTime();
        while (running) {
            int n = port.read(in, 0, in.length, Duration.ZERO);
            if (n < 0) {
                return; // unplugged
            }
            if (n > 0) {
                dec.decode(in, 0, n, (b, off, len) -> commands.add(new String(b, off, len, StandardCharsets.US_ASCII)));
            }
            if (!commands.isEmpty()) {
                String last = commands.get(commands.size() - 1);
                if (last.startsWith("V ")) {
                    setpoint = Double.parseDouble(last.substring(2));
                }
            }
            long now = System.nanoTime();
            if (now >= next) {
                byte[] g = garbage;
                if (g != null) {
                    garbage = null;
                    port.write(g, 0, g.length);
                }
                byte[] t = ("T " + sent.get() + " " + setpoint).getBytes(StandardCharsets.US_ASCII);
                int len = codec.encode(t, 0, t.length, out, 0);
                if (port.write(out, 0, len) == len) {
                    sent.incrementAndGet();
                }
                next += periodNanos;
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 200_000));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
