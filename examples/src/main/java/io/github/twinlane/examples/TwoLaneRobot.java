package io.github.twinlane.examples;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.Placement;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopTask;
import io.github.twinlane.NoCommand;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.camera.CameraConfig;
import io.github.twinlane.camera.CameraSource;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialPreflight;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The main demo: a 1 kHz motor control loop on the fast lane against a simulated drive, while four
 * simulated 30 frames/s cameras (each spending CPU per frame, like a decoder) stream on the slow
 * lane. Once a second it prints loop lateness, missed cycles, command round trip, frames/s and
 * frame age; at the end a summary.
 *
 * <pre>
 *   --duration S   run time in seconds (default 10)
 *   --naive        the same devices on one shared thread pool, as a Java developer might write it
 *   --port PATH    a real serial motor drive speaking LineProtocolDrive's protocol instead of the simulated one
 *   --baud N       its baud rate (default 115200)
 *   --camera SRC   a real camera, file or stream URL instead of the simulated ones; repeatable
 *   --cameras N    number of cameras (default 4)
 *   --camera-cost MS  CPU time per frame standing in for decoding (default 5)
 *   --no-pin       switch the CPU plan off (lanes share every core)
 *   --placement P  where the drive's reader and writer run: in-loop (default: on the control loop's
 *                  thread, which reads the drive, runs the controller and writes the command each cycle)
 *                  or scheduler (threads of their own, handing values to the loop through rings)
 *   --rt-priority P  SCHED_FIFO priority P for the fast lane, when the OS permits
 *   --record FILE  record the drive's telemetry and commands, the loop and the cameras into an MCAP file
 *                  (Foxglove opens it): real cameras' own JPEGs, simulated frames as JPEG at 5 frames/s
 *   --black-box DIR  keep the drive's last 10 s in memory and write them into DIR on an emergency stop,
 *                  a watchdog trip or a failed channel
 *   --foxglove     a live view for Foxglove on ws://127.0.0.1:8765 (the drive, the cameras, /twinlane/stats,
 *                  each second's row as a log line); --foxglove-port N for another port, 0 for any free one
 * </pre>
 */
public final class TwoLaneRobot {
    private static final long PERIOD_NANOS = 1_000_000;

    private final Options opt;
    private final Recorder rtt = new Recorder(60_000_000_000L, 3);
    private final Recorder frameAge = new Recorder(60_000_000_000L, 3);
    private final AtomicLong frames = new AtomicLong();
    private final Histogram rttTotal = new Histogram(60_000_000_000L, 3);
    private final Histogram ageTotal = new Histogram(60_000_000_000L, 3);

    private TwoLaneRobot(Options opt) {
        this.opt = opt;
    }

    /**
     * Runs the demo.
     *
     * @param args see the class comment
     * @throws Exception if the demo cannot start
     */
    public static void main(String[] args) throws Exception {
        Options opt = Options.parse(args);
        System.out.printf(Locale.ROOT, "twinlane demo: %s mode, 1 kHz control loop on %s + %s, %d s on %d cores%n",
                opt.naive ? "NAIVE shared-pool" : "two-lane, drive placed " + opt.placement, opt.port == null ? "a simulated drive" : opt.port,
                opt.cameraSources.isEmpty() ? opt.cameras + " simulated cameras " + opt.width + "x" + opt.height
                        + "@30 (" + opt.cameraCostMs + " ms CPU/frame)" : "cameras " + opt.cameraSources,
                opt.durationSeconds, Runtime.getRuntime().availableProcessors());
        if (opt.port != null) {
            List<SerialPreflight.Finding> findings = SerialPreflight.system()
                    .check(SerialConfig.path(opt.port).baudRate(opt.baud).build());
            if (findings.isEmpty()) {
                System.out.println("serial preflight: nothing to report for " + opt.port);
            }
            findings.forEach(f -> System.out.println("serial preflight " + f.severity() + ": " + f.message()));
        }
        TwoLaneRobot demo = new TwoLaneRobot(opt);
        long start = System.nanoTime();
        Result r = opt.naive ? demo.runNaive() : demo.runTwoLane();
        double seconds = (System.nanoTime() - start) / 1e9; // measured, not the nominal duration
        System.out.println();
        System.out.println("=== summary (" + (opt.naive ? "naive" : "two-lane") + ") ===");
        System.out.printf(Locale.ROOT, "control loop: %d deadlines, %d missed (%.2f%%), lateness %s%n", r.deadlines,
                r.missed, 100.0 * r.missed / Math.max(1, r.deadlines), r.lateness);
        System.out.printf(Locale.ROOT, "command round trip: %s%n", r.rtt);
        System.out.printf(Locale.ROOT, "cameras: %.1f frames/s in all over %.1f s measured, frame age %s, dropped %d%n",
                r.frames / seconds, seconds, r.frameAge, r.framesDropped);
        if (r.spin != null) {
            System.out.println("control loop " + r.spin);
        }
        if (r.details != null) {
            System.out.print(r.details);
        }
    }

    private Result runTwoLane() throws InterruptedException, java.io.IOException {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(opt.cpuPlan).build()) {
            System.out.println(rt.cpuPlan());
            boolean inLoop = opt.placement == Placement.IN_LOOP;
            DeviceChannel<MotorCommand, MotorTelemetry> drive =
                    rt.open(ChannelConfig.fast("drive").placement(opt.placement).build(), newDrive(!inLoop));
            // the drive's telemetry and commands, the loop and the cameras into an MCAP file
            io.github.twinlane.record.Recording recording = null;
            if (opt.record != null) {
                recording = io.github.twinlane.record.Recording.start(rt,
                        io.github.twinlane.record.RecordingConfig.to(java.nio.file.Path.of(opt.record)).withRobot("TwoLaneRobot"));
                recording.data(drive, io.github.twinlane.record.MotorCodecs.telemetry())
                        .commands(drive, io.github.twinlane.record.MotorCodecs.command()).events(drive);
            }
            List<DeviceChannel<NoCommand, VideoFrame>> cams = new ArrayList<>();
            List<DeviceDriver<NoCommand, VideoFrame>> camDrivers = new ArrayList<>();
            for (int i = 0; i < cameraCount(); i++) {
                String name = "cam" + i;
                DeviceDriver<NoCommand, VideoFrame> driver = newCamera(i);
                camDrivers.add(driver);
                if (recording != null && driver instanceof io.github.twinlane.video.PacketSource camera) {
                    // a real camera: its own JPEGs, never decoded, from its first packet (so: before it opens).
                    // An H.264 camera: ImageCodecs.compressedVideo
                    recording.packets(name, camera, io.github.twinlane.record.ImageCodecs.compressedImage(name));
                }
                // frames are megabytes and the newest wins: a ring of two (7 frames with its spares, 18.5 MiB at
                // 1280x720) instead of the slow lane's default four, so four cameras, a recording and a live view
                // fit a 256 MiB JVM
                cams.add(rt.open(ChannelConfig.slow(name).capacity(2).build(), driver, (f, at) -> onFrame(f)));
                if (recording != null && !(driver instanceof io.github.twinlane.video.PacketSource)) {
                    // simulated frames: JPEG-compressed on the recording's thread, 5 a second per camera
                    recording.data(cams.get(i), io.github.twinlane.record.ImageCodecs.jpeg(name, 0.7f),
                            Duration.ofMillis(200));
                }
            }
            // a live view in Foxglove: the drive, the cameras, the loop's stats, the table rows as log lines
            io.github.twinlane.foxglove.FoxgloveServer view = null;
            if (opt.foxglove) {
                view = io.github.twinlane.foxglove.FoxgloveServer.start(rt,
                        io.github.twinlane.foxglove.FoxgloveConfig.loopback().withPort(opt.foxglovePort));
                view.publish(drive);
                for (int i = 0; i < cams.size(); i++) {
                    if (camDrivers.get(i) instanceof io.github.twinlane.video.PacketSource camera) {
                        view.publishPackets(cams.get(i).name(), camera,
                                io.github.twinlane.record.ImageCodecs.compressedImage(cams.get(i).name()));
                    } else {
                        view.publishFrames(cams.get(i));
                    }
                }
                System.out.println("live view: in Foxglove, Open connection > Foxglove WebSocket > " + view.url()
                        + " (layout: examples/foxglove-layout.json)");
            }
            // the last 10 s of the drive kept for a black box
            if (opt.blackBox != null) {
                io.github.twinlane.record.BlackBox.start(rt, io.github.twinlane.record.BlackBoxConfig.into(
                        java.nio.file.Path.of(opt.blackBox))).data(drive, io.github.twinlane.record.MotorCodecs.telemetry())
                        .commands(drive, io.github.twinlane.record.MotorCodecs.command());
            }
            LoopTask task;
            if (recording != null) {
                // the loop recorded for a deterministic replay (ReplayLoop): its inputs, outputs and cycle times
                io.github.twinlane.record.LoopRecorder loopIo = io.github.twinlane.record.LoopRecorder.start(recording, "control");
                task = loopIo.wrap(new DemoController(loopIo.input(drive, io.github.twinlane.record.MotorCodecs.telemetry()),
                        loopIo.output(drive, io.github.twinlane.record.MotorCodecs.command()), loopIo, 0.5, rtt::recordValue));
            } else {
                task = new DemoController(drive::latest, drive::send, System::nanoTime, 0.5, rtt::recordValue);
            }
            LoopConfig control = LoopConfig.of("control", Duration.ofNanos(PERIOD_NANOS));
            // in the loop: each cycle reads the drive, runs the controller and writes its command, on one thread
            PeriodicLoop loop = inLoop ? rt.every(control, task, drive) : rt.every(control, task);
            Table table = new Table();
            for (int s = 1; s <= opt.durationSeconds; s++) {
                Thread.sleep(1000);
                long dropped = 0;
                for (DeviceChannel<NoCommand, VideoFrame> c : cams) {
                    dropped += c.stats().dataDropped();
                }
                String row = table.row(s, loop.latenessSinceLastCall(), loop.stats().missed(), dropped);
                if (view != null) {
                    view.log(io.github.twinlane.foxglove.LogLevel.INFO, "TwoLaneRobot", row);
                }
            }
            loop.close();
            if (recording != null) {
                recording.close();
                io.github.twinlane.record.RecordingStats rs = recording.stats();
                System.out.println("recorded " + rs.written() + " value(s), " + rs.dropped() + " dropped, into "
                        + rs.files() + ": open it in Foxglove, or ./mvnw -pl examples -am compile exec:java "
                        + "-Dexec.mainClass=io.github.twinlane.record.cli.McapTool -Dexec.args=\"info " + opt.record + "\"");
                if (rs.dropped() > 0) { // which streams the file could not keep up with
                    StringBuilder by = new StringBuilder("  dropped by topic:");
                    for (io.github.twinlane.record.RecordingStats.Stream st : rs.streams()) {
                        if (st.dropped() > 0) {
                            by.append(' ').append(st.topic()).append(' ').append(st.dropped());
                        }
                    }
                    System.out.println(by);
                }
            }
            long camDropped = cams.stream().mapToLong(c -> c.stats().dataDropped()).sum();
            // twinlane skips a lost slot: deadlines = cycles run + cycles skipped
            Result r = new Result(loop.stats().cycles() + loop.stats().missed(), loop.stats().missed(), loop.stats().lateness(),
                    total(rtt, rttTotal), frames.get(), total(frameAge, ageTotal), camDropped);
            r.details = rt.summary();
            r.spin = "spin lead " + LatencySummary.human(loop.spinLead().toNanos())
                    + (loop.spinLead().isZero() ? " (no reserved core: the loop parks only)"
                    : " (learned from the OS's wake-ups; the loop spins that long before each deadline on its reserved core)");
            return r;
        }
    }

    /** What a Java developer might write without twinlane: every device on one shared pool. */
    private Result runNaive() throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(threads);
        DeviceDriver<MotorCommand, MotorTelemetry> drive = newDrive(true);
        drive.open();
        MotorTelemetry latest = new MotorTelemetry();
        Object lock = new Object();
        pool.scheduleWithFixedDelay(() -> {
            MotorTelemetry t = new MotorTelemetry();
            try {
                drive.read(t);
            } catch (Exception e) {
                return;
            }
            synchronized (lock) {
                t.copyTo(latest);
            }
        }, 0, 1, TimeUnit.NANOSECONDS);
        List<DeviceDriver<NoCommand, VideoFrame>> naiveCams = new ArrayList<>();
        for (int i = 0; i < cameraCount(); i++) {
            DeviceDriver<NoCommand, VideoFrame> cam = newCamera(i);
            naiveCams.add(cam);
            cam.open();
            VideoFrame f = new VideoFrame(0);
            pool.scheduleWithFixedDelay(() -> {
                try {
                    cam.read(f);
                    onFrame(f);
                } catch (Exception e) {
                    // a camera error ends this grab
                }
            }, 0, 1, TimeUnit.NANOSECONDS);
        }
        DemoController ctl = new DemoController(into -> {
            synchronized (lock) {
                latest.copyTo(into);
            }
            return true;
        }, cmd -> {
            try {
                drive.write(cmd);
            } catch (Exception e) {
                // the naive design has nowhere to report this
            }
            return io.github.twinlane.SendResult.ACCEPTED;
        }, System::nanoTime, 0.5, rtt::recordValue);
        Recorder lateness = new Recorder(60_000_000_000L, 3);
        AtomicLong cycles = new AtomicLong();
        AtomicLong missed = new AtomicLong();
        long start = System.nanoTime() + PERIOD_NANOS;
        pool.scheduleAtFixedRate(() -> {
            long k = cycles.getAndIncrement();
            long late = System.nanoTime() - (start + k * PERIOD_NANOS);
            if (late >= PERIOD_NANOS) {
                missed.incrementAndGet();
            }
            lateness.recordValue(Math.max(0, late));
            try {
                ctl.run(k);
            } catch (Exception e) {
                // keep going
            }
        }, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        Table table = new Table();
        Histogram total = new Histogram(60_000_000_000L, 3);
        for (int s = 1; s <= opt.durationSeconds; s++) {
            Thread.sleep(1000);
            Histogram h = drain(lateness, total);
            table.row(s, Percentiles.of(h), missed.get(), 0);
        }
        pool.shutdownNow();
        pool.awaitTermination(2, TimeUnit.SECONDS);
        drive.close();
        naiveCams.forEach(DeviceDriver::close);
        // a fixed-rate executor runs every deadline, late: missed = started a whole period late or more
        return new Result(cycles.get(), missed.get(), Percentiles.of(total),
                total(rtt, rttTotal), frames.get(), total(frameAge, ageTotal), 0);
    }

    /** Moves what a recorder holds into a run total and returns the interval. */
    private static Histogram drain(Recorder recorder, Histogram total) {
        Histogram interval = recorder.getIntervalHistogram();
        total.add(interval);
        return interval;
    }

    /** Drains a recorder into its run total and summarises the whole run. */
    private static LatencySummary total(Recorder recorder, Histogram total) {
        drain(recorder, total);
        return Percentiles.of(total);
    }

    private DeviceDriver<NoCommand, VideoFrame> newCamera(int i) {
        if (!opt.cameraSources.isEmpty()) {
            return new FfmpegCameraDriver(CameraConfig.of(CameraSource.parse(opt.cameraSources.get(i))).build(),
                    1920 * 1080 * 3);
        }
        return new SimulatedCamera("cam" + i, opt.width, opt.height, 30, PixelFormat.BGR24,
                Duration.ofMillis(opt.cameraCostMs));
    }

    private int cameraCount() {
        return opt.cameraSources.isEmpty() ? opt.cameras : opt.cameraSources.size();
    }

    /** The drive; reads that wait for the next sample, or (for a loop that reads it) reads that never wait. */
    private DeviceDriver<MotorCommand, MotorTelemetry> newDrive(boolean blockingReads) {
        if (opt.port == null) {
            return blockingReads ? new SimulatedMotorDrive() : SimulatedMotorDrive.nonBlocking();
        }
        return new LineProtocolDrive(SerialConfig.path(opt.port).baudRate(opt.baud).build(), blockingReads);
    }

    private void onFrame(VideoFrame f) {
        frames.incrementAndGet();
        frameAge.recordValue(Math.max(0, f.ageNanos(System.nanoTime())));
    }

    /** A velocity controller following a slow sine, measuring each command's round trip. */
    private final class Table {
        private long lastFrames;

        Table() {
            System.out.printf(Locale.ROOT, "%4s | %10s %10s %10s %7s | %10s %10s | %8s %10s %10s %8s%n", "t(s)",
                    "loop p50", "p99", "max", "missed", "rtt p50", "rtt p99", "frames/s", "age p50", "age max",
                    "dropped");
        }

        /** Prints one second's row and returns it. */
        String row(int second, LatencySummary late, long missed, long dropped) {
            LatencySummary r = Percentiles.of(drain(rtt, rttTotal));
            LatencySummary age = Percentiles.of(drain(frameAge, ageTotal));
            long f = frames.get();
            String row = String.format(Locale.ROOT, "%4d | %10s %10s %10s %7d | %10s %10s | %8d %10s %10s %8d", second,
                    LatencySummary.human(late.p50()), LatencySummary.human(late.p99()),
                    LatencySummary.human(late.max()), missed, LatencySummary.human(r.p50()),
                    LatencySummary.human(r.p99()), f - lastFrames, LatencySummary.human(age.p50()),
                    LatencySummary.human(age.max()), dropped);
            System.out.println(row);
            lastFrames = f;
            return row;
        }
    }

    private static final class Result {
        final long deadlines;
        final long missed;
        final LatencySummary lateness;
        final LatencySummary rtt;
        final long frames;
        final LatencySummary frameAge;
        final long framesDropped;
        String details;
        String spin;

        Result(long deadlines, long missed, LatencySummary lateness, LatencySummary rtt, long frames,
               LatencySummary frameAge, long framesDropped) {
            this.deadlines = deadlines;
            this.missed = missed;
            this.lateness = lateness;
            this.rtt = rtt;
            this.frames = frames;
            this.frameAge = frameAge;
            this.framesDropped = framesDropped;
        }
    }

    static final class Options {
        boolean naive;
        int durationSeconds = 10;
        int cameras = 4;
        int width = 1280;
        int height = 720;
        int cameraCostMs = 5;
        CpuPlan cpuPlan = CpuPlan.DEFAULT;
        String port;
        int baud = 115_200;
        Placement placement = Placement.IN_LOOP;
        final List<String> cameraSources = new ArrayList<>();
        String record;
        String blackBox;
        boolean foxglove;
        int foxglovePort = io.github.twinlane.foxglove.FoxgloveConfig.DEFAULT_PORT;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--naive" -> o.naive = true;
                    case "--duration" -> o.durationSeconds = intArg(args, ++i, a, 1, 86_400);
                    case "--cameras" -> o.cameras = intArg(args, ++i, a, 0, 16);
                    case "--camera-cost" -> o.cameraCostMs = intArg(args, ++i, a, 0, 30);
                    case "--no-pin" -> o.cpuPlan = CpuPlan.OFF;
                    case "--port" -> o.port = strArg(args, ++i, a);
                    case "--baud" -> o.baud = intArg(args, ++i, a, 1200, 4_000_000);
                    case "--camera" -> o.cameraSources.add(strArg(args, ++i, a));
                    case "--rt-priority" -> o.cpuPlan = o.cpuPlan.withFastPriority(intArg(args, ++i, a, 1, 99));
                    case "--placement" -> o.placement = switch (strArg(args, ++i, a)) {
                        case "in-loop" -> Placement.IN_LOOP;
                        case "scheduler" -> Placement.SCHEDULER;
                        default -> throw new IllegalArgumentException("--placement must be in-loop or scheduler, was "
                                + args[i]);
                    };
                    case "--record" -> o.record = strArg(args, ++i, a);
                    case "--black-box" -> o.blackBox = strArg(args, ++i, a);
                    case "--foxglove" -> o.foxglove = true;
                    case "--foxglove-port" -> {
                        o.foxglove = true;
                        o.foxglovePort = intArg(args, ++i, a, 0, 65_535);
                    }
                    case "--help", "-h" -> {
                        System.out.println("usage: TwoLaneRobot [--duration S] [--naive] [--port PATH] [--baud N] [--camera SRC]... "
                                + "[--cameras N] [--camera-cost MS] [--no-pin] [--rt-priority P] [--placement in-loop|scheduler] "
                                + "[--record FILE.mcap] [--black-box DIR] [--foxglove] [--foxglove-port N]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + "; use --duration S, --naive, --port PATH, --baud N, --camera SRC, --cameras N, --camera-cost MS, "
                            + "--no-pin, --rt-priority P, --placement in-loop|scheduler, --record FILE.mcap, --black-box DIR, "
                            + "--foxglove, --foxglove-port N");
                }
            }
            return o;
        }

        private static String strArg(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }

        private static int intArg(String[] args, int i, String name, int min, int max) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value from " + min + " to " + max);
            }
            int v;
            try {
                v = Integer.parseInt(args[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                        + ", was " + args[i], e);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + v);
            }
            return v;
        }
    }
}
