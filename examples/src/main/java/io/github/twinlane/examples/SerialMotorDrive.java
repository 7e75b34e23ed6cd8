package io.github.twinlane.examples;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialPreflight;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Recorder;

/**
 * A motor drive on the fast lane: a fixed-rate loop sends velocity setpoints and reads telemetry;
 * on exit (end of run or Ctrl-C) the drive gets a zero-velocity command before the port closes.
 *
 * <pre>
 *   --port PATH     a real drive speaking LineProtocolDrive's line protocol (default: a simulated drive)
 *   --baud N        baud rate (default 115200)
 *   --rate HZ       control rate (default 200)
 *   --duration S    run time (default 5)
 * </pre>
 */
public final class SerialMotorDrive {
    private static final String USAGE = "SerialMotorDrive [--port PATH ] [--baud N ] [--rate HZ ] [--duration S ]";

    private SerialMotorDrive() {
    }

    /**
     * Runs the example.
     *
     * @param args see the class comment
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = new Args(args, USAGE);
        String port = a.text("--port", null);
        int hz = a.number("--rate", 200, 1, 2000);
        int seconds = a.number("--duration", 5, 1, 86_400);
        DeviceDriver<MotorCommand, MotorTelemetry> device;
        if (port == null) {
            device = new SimulatedMotorDrive();
            System.out.println("drive: simulated (give --port /dev/ttyUSB0 for a real one)");
        } else {
            SerialConfig cfg = SerialConfig.path(port).baudRate(a.number("--baud", 115_200, 1200, 4_000_000)).build();
            SerialPreflight.system().check(cfg).forEach(f -> System.out.println("preflight " + f.severity() + ": " + f.message()));
            device = new LineProtocolDrive(cfg);
            System.out.println("drive: " + port);
        }
        TwinlaneRuntime rt = TwinlaneRuntime.builder().build();
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), device);
        Recorder rtt = new Recorder(3);
        MotorCommand cmd = new MotorCommand();
        MotorTelemetry now = new MotorTelemetry();
        long[] lastEcho = {-1};
        PeriodicLoop loop = rt.every(Duration.ofNanos(1_000_000_000L / hz), "control", k -> {
            if (drive.latest(now) && now.lastCommandSequence != lastEcho[0] && now.lastCommandSequence >= 0) {
                lastEcho[0] = now.lastCommandSequence;
                rtt.recordValue(Math.max(0, System.nanoTime() - now.lastCommandSentNanos));
            }
            cmd.sequence = k;
            cmd.velocity = 10 * Math.sin(2 * Math.PI * k / hz / 4); // a 4-second sine
            cmd.sentNanos = System.nanoTime();
            drive.send(cmd);
        });
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable safeStop = () -> {
            if (stopped.compareAndSet(false, true)) {
                loop.close();
                MotorCommand zero = new MotorCommand();
                zero.sequence = -1;
                zero.sentNanos = System.nanoTime();
                long written = drive.stats().commandsWritten();
                boolean sent = drive.send(zero).accepted();
                long deadline = System.nanoTime() + 500_000_000L;
                while (sent && drive.stats().commandsWritten() == written && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                boolean wasWritten = sent && drive.stats().commandsWritten() > written;
                // a port's close may discard bytes the UART has not sent yet: close only once the drive says it
                // applied the stop (its telemetry echoes the command's sequence), or after 500 ms
                MotorTelemetry ack = new MotorTelemetry();
                while (wasWritten && !(drive.latest(ack) && ack.lastCommandSequence == -1)
                        && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(100_000);
                }
                boolean acknowledged = wasWritten && drive.latest(ack) && ack.lastCommandSequence == -1;
                System.out.println("safe stop: zero velocity " + (wasWritten ? "written to the drive, "
                        + (acknowledged ? "acknowledged" : "NOT acknowledged within 500 ms")
                        : "NOT written (" + drive.state() + ")"));
                rt.close();
            }
        };
        Thread hook = new Thread(safeStop, "safe-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                drive.latest(now);
                System.out.printf(Locale.ROOT, "t=%ds %s setpoint %7.3f velocity %7.3f position %8.3f | round trip %s | "
                                + "loop %s | errors %d%n", s, drive.state() == ChannelState.OPEN ? "OPEN" : drive.state(),
                        now.setpoint, now.velocity, now.position, Percentiles.of(rtt.getIntervalHistogram()),
                        loop.latenessSinceLastCall(), drive.stats().driverErrors() + drive.stats().corruptReads());
            }
        } finally {
            safeStop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running or ran; safeStop ran once either way
            }
        }
        System.out.println(drive.stats());
    }
}
