package io.github.twinlane.bench;

import com.fazecast.jSerialComm.SerialPort;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopTask;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.Placement;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.camera.CameraConfig;
import io.github.twinlane.camera.CameraSource;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.serial.SerialConfig;
import io.github.twinlane.serial.SerialFrame;
import io.github.twinlane.serial.SerialPortDriver;
import io.github.twinlane.serial.codec.LengthCrcCodec;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.video.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Scenario 3, the heart: a 1 kHz control loop alone and while four cameras decode 1920x1080 MJPEG at
 * 30 frames/s in the same JVM, for twinlane's default (CPU plan on), twinlane with the plan off,
 * hand-written dedicated threads, and one shared thread pool.
 */
final class IsolationScenario {
    private static final long PERIOD = 1_000_000;
    private static final int CAMERAS = 4;

    enum Design {
        TWINLANE("twinlane (default: CPU plan on)"),
        TWINLANE_NO_PLAN("twinlane, CPU plan off"),
        TWINLANE_IN_LOOP("twinlane, device read and written in the loop (Placement.IN_LOOP)"),
        DEDICATED("hand-written dedicated threads"),
        POOL("hand-written shared pool (naive)");

        final String label;

        Design(String label) {
            this.label = label;
        }

        boolean twinlane() {
            return this == TWINLANE || this == TWINLANE_NO_PLAN || this == TWINLANE_IN_LOOP;
        }
    }

    enum Loop {
        DRIVE("control loop against a simulated drive"),
        SERIAL("serial round trip over a pty pair");

        final String label;

        Loop(String label) {
            this.label = label;
        }
    }

    /** What one run measured. */
    record Outcome(Histogram lateness, long deadlines, long missed, Histogram rtt, double fps, List<double[]> windows) {
    }

    /** Something that was started and must be stopped. */
    private interface Part extends AutoCloseable {
        @Override
        void close();
    }

    static final class Measure {
        final Recorder rtt = new Recorder(60_000_000_000L, 3);
        final AtomicLong frames = new AtomicLong();
    }

    // ------------------------------------------------------------------ one run

    static Outcome run(Settings s, Design design, Loop loop, boolean cameras, Path video, Path tmp) throws Exception {
        Measure m = new Measure();
        List<Part> parts = new ArrayList<>();
        TwinlaneRuntime rt = null;
        ScheduledExecutorService pool = null;
        try {
            if (design.twinlane()) {
                rt = TwinlaneRuntime.builder().cpuPlan(design == Design.TWINLANE_NO_PLAN ? CpuPlan.OFF : CpuPlan.DEFAULT).build();
            } else if (design == Design.POOL) {
                pool = Executors.newScheduledThreadPool(Runtime.getRuntime().availableProcessors());
            }
            if (cameras) {
                for (int i = 0; i < CAMERAS; i++) {
                    parts.add(camera(design, rt, pool, i, video, m));
                }
            }
            LoopProbe probe = loop == Loop.DRIVE ? driveLoop(design, rt, pool, m, parts) : serialLoop(design, rt, pool, m, parts, tmp);
            long warm = System.nanoTime() + s.warmup().toNanos();
            while (System.nanoTime() < warm) {
                Thread.sleep(20);
            }
            probe.reset();
            m.rtt.reset();
            long frames0 = m.frames.get();
            long t0 = System.nanoTime();
            List<double[]> windows = new ArrayList<>();
            Histogram all = new Histogram(60_000_000_000L, 3);
            while (System.nanoTime() - t0 < s.trial().toNanos()) {
                Thread.sleep(100);
                Histogram w = probe.interval();
                all.add(w);
                windows.add(new double[] {(System.nanoTime() - t0) / 1e9, w.getMaxValue() / 1000.0});
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Histogram rtt = m.rtt.getIntervalHistogram();
            long[] dm = probe.deadlinesAndMissed();
            return new Outcome(all, dm[0], dm[1], rtt, (m.frames.get() - frames0) / secs, windows);
        } finally {
            for (Part p : parts) {
                p.close();
            }
            if (rt != null) {
                rt.close();
            }
            if (pool != null) {
                pool.shutdownNow();
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads a loop's lateness by interval and its deadline counts. */
    interface LoopProbe {
        void reset();

        Histogram interval();

        long[] deadlinesAndMissed();
    }

    // ------------------------------------------------------------------ cameras

    static CameraConfig cameraConfig(Path video) {
        return CameraConfig.of(new CameraSource.File(video)).loopFile(true).realtime(true).build();
    }

    static Part camera(Design design, TwinlaneRuntime rt, ScheduledExecutorService pool, int i, Path video, Measure m)
            throws Exception {
        FfmpegCameraDriver driver = new FfmpegCameraDriver(cameraConfig(video), 1920 * 1080 * 3);
        switch (design) {
            case TWINLANE, TWINLANE_NO_PLAN, TWINLANE_IN_LOOP -> {
                DeviceChannel<NoCommand, VideoFrame> ch = rt.open(ChannelConfig.slow("cam" + i).build(), driver,
                        (f, at) -> m.frames.incrementAndGet());
                return ch::close;
            }
            case DEDICATED -> {
                Thread t = new Thread(() -> {
                    VideoFrame f = new VideoFrame(1920 * 1080 * 3);
                    try {
                        driver.open();
                        while (!Thread.currentThread().isInterrupted()) {
                            if (driver.read(f)) {
                                m.frames.incrementAndGet();
                            }
                        }
                    } catch (Exception e) {
                        // closed
                    }
                }, "cam" + i);
                t.start();
                return () -> {
                    t.interrupt();
                    driver.close();
                    HandoffScenario.join(t);
                };
            }
            default -> {
                driver.open();
                VideoFrame f = new VideoFrame(1920 * 1080 * 3);
                pool.scheduleWithFixedDelay(() -> {
                    try {
                        if (driver.read(f)) {
                            m.frames.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // a naive design has nowhere to report this
                    }
                }, 0, 1, TimeUnit.NANOSECONDS);
                return driver::close;
            }
        }
    }

    // ------------------------------------------------------------------ the drive loop

    static LoopProbe driveLoop(Design design, TwinlaneRuntime rt, ScheduledExecutorService pool, Measure m, List<Part> parts)
            throws Exception {
        boolean inLoop = design == Design.TWINLANE_IN_LOOP;
        SimulatedMotorDrive sim = inLoop ? SimulatedMotorDrive.nonBlocking() : new SimulatedMotorDrive();
        MotorCommand cmd = new MotorCommand();
        MotorTelemetry now = new MotorTelemetry();
        long[] lastEcho = {-1};
        if (design.twinlane()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                    .placement(inLoop ? Placement.IN_LOOP : Placement.SCHEDULER).build(), sim);
            LoopTask control = k -> {
                if (drive.latest(now) && now.lastCommandSequence != lastEcho[0] && now.lastCommandSequence >= 0) {
                    lastEcho[0] = now.lastCommandSequence;
                    m.rtt.recordValue(Math.max(0, System.nanoTime() - now.lastCommandSentNanos));
                }
                cmd.sequence = k;
                cmd.velocity = 5;
                cmd.sentNanos = System.nanoTime();
                drive.send(cmd);
            };
            LoopConfig every = LoopConfig.of("control", java.time.Duration.ofNanos(PERIOD));
            PeriodicLoop loop = inLoop ? rt.every(every, control, drive) : rt.every(every, control);
            awaitOpen(drive.state()::toString, () -> drive.state() == ChannelState.OPEN);
            return twinlaneProbe(loop);
        }
        sim.open();
        Object lock = new Object();
        MotorTelemetry shared = new MotorTelemetry();
        Runnable readOne = () -> {
            MotorTelemetry t = new MotorTelemetry();
            try {
                if (sim.read(t)) {
                    synchronized (lock) {
                        t.copyTo(shared);
                    }
                }
            } catch (Exception e) {
                // closed
            }
        };
        HandLoop.Task task = k -> {
            synchronized (lock) {
                shared.copyTo(now);
            }
            if (now.lastCommandSequence != lastEcho[0] && now.lastCommandSequence >= 0) {
                lastEcho[0] = now.lastCommandSequence;
                m.rtt.recordValue(Math.max(0, System.nanoTime() - now.lastCommandSentNanos));
            }
            cmd.sequence = k;
            cmd.velocity = 5;
            cmd.sentNanos = System.nanoTime();
            sim.write(cmd);
        };
        parts.add(sim::close);
        return startHandLoop(design, pool, readOne, task, parts);
    }

    // ------------------------------------------------------------------ the serial loop

    static LoopProbe serialLoop(Design design, TwinlaneRuntime rt, ScheduledExecutorService pool, Measure m,
                                List<Part> parts, Path tmp) throws Exception {
        Pty pty = new Pty(tmp.resolve("pty-" + design));
        parts.add(pty::close);
        LengthCrcCodec codec = new LengthCrcCodec(32);
        if (design.twinlane()) {
            boolean inLoop = design == Design.TWINLANE_IN_LOOP;
            SerialConfig sc = SerialConfig.path(pty.a.toString()).build();
            DeviceChannel<SerialFrame, SerialFrame> port = rt.open(ChannelConfig.fast("serial")
                            .dataPolicy(BackpressurePolicy.BLOCK).placement(inLoop ? Placement.IN_LOOP : Placement.SCHEDULER).build(),
                    inLoop ? SerialPortDriver.nonBlocking(sc, codec) : SerialPortDriver.blocking(sc, codec),
                    (f, at) -> m.rtt.recordValue(Math.max(0, System.nanoTime() - Bytes.getLong(f.data(), 0))));
            SerialFrame out = new SerialFrame(32);
            byte[] payload = new byte[8];
            LoopTask send = k -> {
                Bytes.putLong(payload, 0, System.nanoTime());
                port.send(out.set(payload, 0, 8));
            };
            LoopConfig every = LoopConfig.of("serial", java.time.Duration.ofNanos(PERIOD));
            PeriodicLoop loop = inLoop ? rt.every(every, send, port) : rt.every(every, send);
            awaitOpen(port.state()::toString, () -> port.state() == ChannelState.OPEN);
            return twinlaneProbe(loop);
        }
        SerialPort p = SerialPort.getCommPort(pty.a.toString());
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 100, 0);
        p.openPort();
        io.github.twinlane.serial.codec.FrameDecoder dec = codec.newDecoder();
        byte[] in = new byte[256];
        Runnable readOne = () -> {
            int n = p.readBytes(in, in.length);
            if (n > 0) {
                dec.decode(in, 0, n, (b, off, len) ->
                        m.rtt.recordValue(Math.max(0, System.nanoTime() - Bytes.getLong(b, off))));
            }
        };
        byte[] payload = new byte[8];
        byte[] frame = new byte[codec.maxEncodedLength(8)];
        HandLoop.Task task = k -> {
            Bytes.putLong(payload, 0, System.nanoTime());
            int len = codec.encode(payload, 0, 8, frame, 0);
            p.writeBytes(frame, len);
        };
        parts.add(p::closePort);
        return startHandLoop(design, pool, readOne, task, parts);
    }

    // ------------------------------------------------------------------ loops

    static void awaitOpen(java.util.function.Supplier<String> state, java.util.function.BooleanSupplier open)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!open.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("device did not open: " + state.get());
            }
            Thread.sleep(5);
        }
    }

    static LoopProbe twinlaneProbe(PeriodicLoop loop) {
        long[] base = {0, 0};
        return new LoopProbe() {
            @Override
            public void reset() {
                loop.latenessSinceLastCall();
                base[0] = loop.stats().cycles() + loop.stats().missed();
                base[1] = loop.stats().missed();
            }

            @Override
            public Histogram interval() {
                try { // the loop hands out a copy in HdrHistogram's own encoding
                    return Histogram.decodeFromCompressedByteBuffer(loop.latenessDistributionSinceLastCall()
                            .toHdrHistogramBytes(), 0);
                } catch (java.util.zip.DataFormatException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public long[] deadlinesAndMissed() {
                return new long[] {loop.stats().cycles() + loop.stats().missed() - base[0], loop.stats().missed() - base[1]};
            }
        };
    }

    static LoopProbe startHandLoop(Design design, ScheduledExecutorService pool, Runnable readOne, HandLoop.Task task,
                                   List<Part> parts) {
        HandLoop loop = new HandLoop(PERIOD, task);
        if (design == Design.DEDICATED) {
            Thread reader = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    readOne.run();
                }
            }, "device-reader");
            reader.start();
            Thread t = new Thread(loop::runDedicated, "control-loop");
            t.start();
            parts.add(0, () -> {
                loop.stop();
                HandoffScenario.join(t);
                reader.interrupt();
                HandoffScenario.join(reader);
            });
        } else {
            pool.scheduleWithFixedDelay(readOne, 0, 1, TimeUnit.NANOSECONDS);
            loop.startFixedRate(pool);
        }
        return loop;
    }

    // ------------------------------------------------------------------ the scenario

    static void run(Settings s, Report r) throws Exception {
        r.section("3. Isolation: the control loop while four cameras decode");
        Path tmp = java.nio.file.Files.createTempDirectory("twinlane-bench");
        BenchmarkSuite.progress("isolation", "writing the 1080p MJPEG clip the cameras play");
        Path video = TestVideo.mjpeg1080(tmp);
        r.para("A 1 kHz loop, alone and while four cameras decode a 1920×1080 MJPEG clip at its real-time 30 frames/s "
                + "(FFmpeg through the camera driver, converted to BGR24: the same decoding work for every design). "
                + "Loop start lateness against absolute deadlines with expected-interval correction; a missed "
                + "deadline is one whose cycle started a whole period late or later (twinlane and the dedicated thread "
                + "skip such slots, the pool's scheduleAtFixedRate runs them late). Round trip: command to the "
                + "drive's echo (simulated drive, 1 kHz telemetry) or frame to the pty peer's echo. " + s.trials()
                + " trials of " + s.trial().toMillis() + " ms after " + s.warmup().toMillis() + " ms warm-up; "
                + "cells are median (min–max) over trials.");
        List<Loop> loops = new ArrayList<>(List.of(Loop.DRIVE));
        if (Pty.available()) {
            loops.add(Loop.SERIAL);
        } else {
            r.para("Not Linux: no kernel ptys, so the serial loop was not measured.");
        }
        Map<String, List<double[]>> plot = new LinkedHashMap<>();
        for (Loop loop : loops) {
            List<List<String>> rows = new ArrayList<>();
            Map<String, Trials[]> by = new LinkedHashMap<>();
            for (Design d : Design.values()) {
                if (loop == Loop.SERIAL && d == Design.POOL) {
                    continue;
                }
                for (boolean cams : new boolean[] {false, true}) {
                    Trials p50 = new Trials();
                    Trials p99 = new Trials();
                    Trials max = new Trials();
                    Trials missed = new Trials();
                    Trials rtt50 = new Trials();
                    Trials rtt99 = new Trials();
                    Trials fps = new Trials();
                    for (int i = 0; i < s.trials(); i++) {
                        BenchmarkSuite.progress("isolation", loop.name().toLowerCase() + ": " + d.label
                                + (cams ? " + 4 cameras" : ", alone") + " trial " + (i + 1) + "/" + s.trials());
                        Outcome o = run(s, d, loop, cams, video, tmp);
                        p50.add(o.lateness().getValueAtPercentile(50));
                        p99.add(o.lateness().getValueAtPercentile(99));
                        max.add(o.lateness().getMaxValue());
                        missed.add(100.0 * o.missed() / Math.max(1, o.deadlines()));
                        rtt50.add(o.rtt().getValueAtPercentile(50));
                        rtt99.add(o.rtt().getValueAtPercentile(99));
                        fps.add(o.fps());
                        if (i == 0 && loop == Loop.DRIVE && (cams || d == Design.TWINLANE)) {
                            plot.put(d.label + (cams ? " + 4 cameras" : ", alone"), o.windows());
                        }
                    }
                    by.put(d + "/" + cams, new Trials[] {p50, p99, max, missed});
                    rows.add(List.of(d.label, cams ? "4 × 1080p30" : "alone", Report.us(p50), Report.us(p99),
                            Report.us(max), Report.num(missed) + " %", Report.us(rtt50), Report.us(rtt99),
                            cams ? Report.num(fps) : "–"));
                }
            }
            r.para("**" + loop.label + "**");
            r.table(List.of("design", "cameras", "lateness p50", "p99", "max", "missed deadlines", "round trip p50",
                    "round trip p99", "frames/s (all cameras)"), rows);
            Trials[] alone = by.get(Design.TWINLANE + "/false");
            Trials[] loaded = by.get(Design.TWINLANE + "/true");
            r.target("isolation/" + loop.name().toLowerCase(), "twinlane default: loop p99 with cameras / alone",
                    loaded[1].median() / alone[1].median(), 1.5, true);
            // missed deadlines: 2× alone, with one deadline per trial of slack when alone misses none
            double slack = 100.0 / (s.trial().toMillis());
            r.target("isolation/" + loop.name().toLowerCase(), "twinlane default: missed % with cameras / max(alone, one deadline)",
                    loaded[3].median() / Math.max(alone[3].median(), slack), 2, true);
            Trials[] noPlan = by.get(Design.TWINLANE_NO_PLAN + "/true");
            Trials[] dedicated = by.get(Design.DEDICATED + "/true");
            Trials[] inLoop = by.get(Design.TWINLANE_IN_LOOP + "/true");
            r.para("With cameras, loop p99: device in the loop " + Report.ratio(inLoop[1].median(), loaded[1].median())
                    + ", CPU plan off " + Report.ratio(noPlan[1].median(), loaded[1].median())
                    + " and dedicated threads " + Report.ratio(dedicated[1].median(), loaded[1].median())
                    + " of twinlane's default.");
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        plot.forEach((k, v) -> series.put(k, Plots.xy(v)));
        Path png = s.out().resolve("isolation-jitter.png");
        Plots.lines(png, "1 kHz control loop: worst start lateness per 100 ms window", "time (s)", "max lateness (µs, log)",
                false, true, series);
        r.image(png.getFileName().toString(), "loop jitter over time with and without cameras");
    }
}
