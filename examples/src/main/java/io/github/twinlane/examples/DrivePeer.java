package io.github.twinlane.examples;

import com.fazecast.jSerialComm.SerialPort;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A motor drive that speaks {@link LineProtocolDrive}'s protocol, for trying {@code --port} on one
 * machine without hardware: it opens a serial path, takes {@code V} lines and answers with {@code T}
 * lines at a fixed rate from a first-order motor model (velocity follows the setpoint with a 20 ms
 * time constant), echoing the last command's sequence and send time so the caller can measure the
 * round trip.
 *
 * <p>With a pty pair from socat (or two USB adapters and a null-modem cable):
 * <pre>
 * socat -d -d pty,raw,echo=0,link=/tmp/ttyDrive pty,raw,echo=0,link=/tmp/ttyPeer &amp;
 * ./mvnw -pl examples -am compile exec:java -Dexec.mainClass=io.github.twinlane.examples.DrivePeer -Dexec.args="--port /tmp/ttyPeer"
 * ./mvnw -pl examples -am compile exec:java -Dexec.args="--port /tmp/ttyDrive"
 * </pre>
 *
 * <p>Threading: one thread of its own ({@code drive-peer}) reads and writes the port; {@link #close()}
 * stops it. Lines it cannot parse are counted ({@link #rejected()}) and otherwise ignored, as a drive
 * would.
 */
public final class DrivePeer implements AutoCloseable {
    private static final String USAGE = "DrivePeer --port PATH [--baud N ] [--rate HZ ] [--duration S ]";

    private final SerialPort port;
    private final Thread thread;
    private final long periodNanos;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastCommand = "";
    private volatile boolean running = true;

    /**
     * Opens {@code path} and starts answering.
     *
     * @param path the serial device, for example {@code /dev/ttyUSB1} or a pty's link
     * @param baud the baud rate (ignored by ptys)
     * @param hz telemetry lines per second, 1 to 2,000
     * @throws IllegalStateException naming the path when it cannot be opened
     */
    public DrivePeer(String path, int baud, int hz) {
        if (hz < 1 || hz > 2000) {
            throw new IllegalArgumentException("hz must be from 1 to 2000, was " + hz);
        }
        port = SerialPort.getCommPort(path);
        port.setBaudRate(baud);
        port.setComPortTimeouts(SerialPort.TIMEOUT_NONBLOCKING, 0, 0);
        if (!port.openPort()) {
            throw new IllegalStateException("could not open " + path + ": is it there, and free?");
        }
        periodNanos = 1_000_000_000L / hz;
        thread = new Thread(this::run, "drive-peer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Commands parsed so far. Any thread. */
    public long commands() {
        return commands.get();
    }

    /** Lines that were not a valid {@code V} command. Any thread. */
    public long rejected() {
        return rejected.get();
    }

    /** The last valid command line, without its newline; empty before the first. Any thread. */
    public String lastCommand() {
        return lastCommand;
    }

    private void run() {
        StringBuilder line = new StringBuilder();
        byte[] in = new byte[512];
        double setpoint = 0;
        double velocity = 0;
        double position = 0;
        String lastSeq = "-1";
        String lastSent = "0";
        long seq = 0;
        long next = System.nanoTime();
        double dt = periodNanos / 1e9;
        while (running) {
            int avail = port.bytesAvailable();
            if (avail < 0) {
                return; // unplugged
            }
            int n = avail == 0 ? 0 : port.readBytes(in, Math.min(avail, in.length));
            for (int i = 0; i < n; i++) {
                char c = (char) in[i];
                if (c == '\n') {
                    String[] f = line.toString().split(" ");
                    if (f.length == 4 && f[0].equals("V") && parses(f)) {
                        setpoint = Double.parseDouble(f[1]);
                        lastSeq = f[2];
                        lastSent = f[3];
                        lastCommand = line.toString();
                        commands.incrementAndGet();
                    } else {
                        rejected.incrementAndGet();
                    }
                    line.setLength(0);
                } else if (line.length() < 256) {
                    line.append(c);
                }
            }
            long now = System.nanoTime();
            if (now >= next) {
                velocity += (setpoint - velocity) * Math.min(1, dt / 0.020);
                position += velocity * dt;
                byte[] t = String.format(Locale.ROOT, "T %d %.4f %.4f %s %s%n", seq++, velocity, position, lastSeq,
                        lastSent).getBytes(StandardCharsets.US_ASCII);
                port.writeBytes(t, t.length);
                next += periodNanos;
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(next - now, 100_000));
            }
        }
    }

    private static boolean parses(String[] f) {
        try {
            Double.parseDouble(f[1]);
            Long.parseLong(f[2]);
            Long.parseLong(f[3]);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Stops answering and closes the port. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        port.closePort();
    }

    /**
     * Runs the peer on a serial path until the duration ends (or forever without one).
     *
     * @param args {@code --port PATH [--baud N] [--rate HZ] [--duration S]}
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = new Args(args, USAGE);
        String path = a.text("--port", null);
        if (path == null) {
            throw new IllegalArgumentException("--port is required: the serial path the drive peer answers on. " + USAGE);
        }
        int seconds = a.number("--duration", 0, 0, 86_400);
        try (DrivePeer peer = new DrivePeer(path, a.number("--baud", 115_200, 1200, 4_000_000),
                a.number("--rate", 500, 1, 2000))) {
            System.out.println("drive peer on " + path + ": answering V lines with T lines (Ctrl-C stops)");
            long end = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                System.out.println("commands " + peer.commands() + ", rejected lines " + peer.rejected()
                        + ", last: " + peer.lastCommand());
            }
        }
    }
}
