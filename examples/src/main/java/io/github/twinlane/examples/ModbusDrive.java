package io.github.twinlane.examples;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SendResult;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialPreflight;
import io.github.twinlane.serial.modbus.ModbusPollDriver;
import io.github.twinlane.serial.modbus.PollStatus;
import io.github.twinlane.serial.modbus.RegisterBlock;
import io.github.twinlane.serial.modbus.RegisterTable;
import io.github.twinlane.serial.modbus.RegisterWrite;
import io.github.twinlane.spi.DeviceDriver;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * An industrial drive over Modbus RTU: polls its status registers at a fixed rate on the fast lane
 * and writes a speed setpoint. Register map (change it to your drive's manual): holding register 0
 * is the speed setpoint, 1 the actual speed, 2 the status word, 3 the temperature.
 *
 * <pre>
 *   --port PATH     an RS-485 adapter with the drive on it (default: a simulated drive)
 *   --unit N        the drive's Modbus unit id (default 1)
 *   --baud N        baud rate (default 115200)
 *   --rate HZ       poll rate (default 50)
 *   --setpoint N    the speed to command, 0 to 65535 (default 1500)
 *   --duration S    run time (default 5)
 * </pre>
 */
public final class ModbusDrive {
    private static final String USAGE = "ModbusDrive [--port PATH ] [--unit N ] [--baud N ] [--rate HZ ] [--setpoint N ] [--duration S ]";

    private ModbusDrive() {
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
        int hz = a.number("--rate", 50, 1, 1000);
        int setpoint = a.number("--setpoint", 1500, 0, 65_535);
        int seconds = a.number("--duration", 5, 1, 86_400);
        Duration period = Duration.ofNanos(1_000_000_000L / hz);
        DeviceDriver<RegisterWrite, RegisterBlock> device;
        if (port == null) {
            device = new SimulatedModbusDrive(period.toNanos(), 0, 4);
            System.out.println("drive: simulated (give --port /dev/ttyUSB0 --unit 1 for a real one)");
        } else {
            SerialConfig cfg = SerialConfig.path(port).baudRate(a.number("--baud", 115_200, 1200, 4_000_000)).build();
            SerialPreflight.system().check(cfg).forEach(f -> System.out.println("preflight " + f.severity() + ": " + f.message()));
            device = new ModbusPollDriver(cfg, a.number("--unit", 1, 1, 247), RegisterTable.HOLDING, 0, 4, period,
                    period.multipliedBy(8).dividedBy(10), 5);
            System.out.println("drive: " + port + " unit " + a.number("--unit", 1, 1, 247));
        }
        Map<PollStatus, long[]> polls = new EnumMap<>(PollStatus.class);
        for (PollStatus st : PollStatus.values()) {
            polls.put(st, new long[1]);
        }
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            // BLOCK: every poll result reaches the handler (a status word must not be conflated away)
            // writeTimeout: a write waits for the poll in progress, then is its own transaction; each may take the
            // response timeout (0.8 periods) when the drive is silent, so a healthy write can take 1.6 periods
            DeviceChannel<RegisterWrite, RegisterBlock> drive = rt.open(ChannelConfig.fast("modbus")
                    .dataPolicy(BackpressurePolicy.BLOCK).writeTimeout(period.multipliedBy(3)).build(), device,
                    (b, at) -> polls.get(b.status)[0]++);
            // commands sent before the drive is open are dropped (never replayed late): wait for it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (drive.state() != ChannelState.OPEN && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            RegisterWrite write = new RegisterWrite();
            RegisterBlock now = new RegisterBlock();
            for (int s = 1; s <= seconds; s++) {
                SendResult sent = drive.send(write.single(0, s < seconds ? setpoint : 0)); // stop in the last second
                if (!sent.accepted()) {
                    System.out.println("setpoint not sent: " + sent + " (" + drive.state() + ")");
                }
                Thread.sleep(1000);
                drive.latest(now);
                System.out.printf(Locale.ROOT, "t=%ds %s registers %s | polls ok %d timeout %d exception %d%n", s,
                        drive.state(), now.status == PollStatus.OK ? Arrays.toString(Arrays.copyOf(now.values, now.count))
                                : now.status + (now.exception != null ? " " + now.exception : ""),
                        polls.get(PollStatus.OK)[0], polls.get(PollStatus.TIMEOUT)[0], polls.get(PollStatus.EXCEPTION)[0]);
            }
            System.out.println(drive.stats());
        }
    }
}
