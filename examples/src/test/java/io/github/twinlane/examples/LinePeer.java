package io.github.twinlane.examples;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A motor drive at the far end of a pty speaking LineProtocolDrive's protocol: takes "V" lines,
 * answers with "T" lines at 500 Hz that echo the last command, through the real jSerialComm library.
 */
final class LinePeer implements AutoCloseable {
    final List<String> commands = new CopyOnWriteArrayList<>();
    private final SerialPort port;
    private final Thread thread;
    private volatile boolean running = true;

    LinePeer(String path) {
        port = SerialPort.getCommPort(path);
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
        if (!port.openPort()) {
            throw new IllegalStateException("peer could not open " + path);
        }
        thread = new Thread(this::run, "line-peer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        StringBuilder line = new StringBuilder();
        byte[] in = new byte[512];
        double velocity = 0;
        double position = 0;
        String lastSeq = "-1";
        String lastSent = "0";
        long seq = 0;
        long next = System.nanoTime();
        while (running) {
            int avail = port.bytesAvailable();
            if (avail < 0) {
                return;
            }
            int n = avail == 0 ? 0 : port.readBytes(in, Math.min(avail, in.length));
            for (int i = 0; i < n; i++) {
                char c = (char) in[i];
                if (c == '\n') {
                    String cmd = line.toString();
                    line.setLength(0);
                    commands.add(cmd);
                    String[] f = cmd.split(" ");
                    if (f.length == 4 && f[0].equals("V")) {
                        velocity = Double.parseDouble(f[1]);
                        lastSeq = f[2];
                        lastSent = f[3];
                    }
                } else {
                    line.append(c);
                }
            }
            long now = System.nanoTime();
            if (now >= next) {
                position += velocity * 0.002;
                byte[] t = ("T " + seq++ + " " + velocity + " " + position + " " + lastSeq + " " + lastSent + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                port.writeBytes(t, t.length);
                next += 2_000_000;
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
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
        port.closePort();
    }
}
