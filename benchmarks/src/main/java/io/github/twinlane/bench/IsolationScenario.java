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
        TWINLANE_RECORDED("twinlane default, recording to MCAP (zstd): the drive's telemetry and commands, and the "
                + "cameras' own JPEGs"),
        TWINLANE_VIEWED("twinlane default, two Foxglove viewers (Node.js, @foxglove/ws-protocol) subscribed to "
                + "everything: the drive, the cameras' own JPEGs, stats"),
        TWINLANE_FLOODED("twinlane default, one Foxglove viewer subscribed to everything and one that subscribes, "
                + "stops reading its socket and floods subscribe requests for unknown channels (started again each "
                + "time the server drops it)"),
        HAND_SPIN("floor: hand-written loop on the reserved core, park then spin the last 60 µs"),
        CYCLICTEST("floor: cyclictest 1 kHz clock_nanosleep on the reserved core"),
        DEDICATED("hand-written dedicated threads"),
        POOL("hand-written shared pool (naive)");

        final String label;

        Design(String label) {
            this.label = label;
        }

        boolean twinlane() {
            return this == TWINLANE || this == TWINLANE_NO_PLAN || this == TWINLANE_IN_LOOP || this == TWINLANE_RECORDED
                    || this == TWINLANE_VIEWED || this == TWINLANE_FLOODED;
        }

        /** Whether it runs in a twinlane runtime with the CPU plan on (for the cameras, and the core it reserves). */
        boolean planned() {
            return this == TWINLANE || this == TWINLANE_IN_LOOP || this == TWINLANE_RECORDED || this == TWINLANE_VIEWED
                    || this == TWINLANE_FLOODED || this == HAND_SPIN || this == CYCLICTEST;
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
    record Outcome(Histogram lateness, long deadlines, long missed, Histogram rtt, Histogram commandToDevice, double fps,
                   List<double[]> windows, double recordedFps, long recordDropped, double viewedFps,
                   double serverCpuMsPerFrame, long viewDropped, long heapPeakBytes, long directPeakBytes,
                   long[] server) {
    }

    /** Something that was started and must be stopped. */
    private interface Part extends AutoCloseable {
        @Override
        void close();
    }

    static final class Measure {
        final Recorder rtt = new Recorder(60_000_000_000L, 3);
        /** From the control task's send to the drive's write; twinlane drive designs only. */
        final Recorder commandToDevice = new Recorder(60_000_000_000L, 3);
        final AtomicLong frames = new AtomicLong();
    }

    // ------------------------------------------------------------------ one run

    static Outcome run(Settings s, Design design, Loop loop, boolean cameras, Path video, Path tmp) throws Exception {
        Measure m = new Measure();
        List<Part> parts = new ArrayList<>();
        TwinlaneRuntime rt = null;
        ScheduledExecutorService pool = null;
        try {
            if (design.twinlane() || design.planned()) {
                rt = TwinlaneRuntime.builder().cpuPlan(design == Design.TWINLANE_NO_PLAN ? CpuPlan.OFF : CpuPlan.DEFAULT).build();
            } else if (design == Design.POOL) {
                pool = Executors.newScheduledThreadPool(Runtime.getRuntime().availableProcessors());
            }
            io.github.twinlane.record.Recording rec = null;
            if (design == Design.TWINLANE_RECORDED) {
                java.nio.file.Path file = java.nio.file.Files.createTempFile(tmp, "isolation", ".mcap");
                io.github.twinlane.record.Recording started = io.github.twinlane.record.Recording.start(rt,
                        io.github.twinlane.record.RecordingConfig.to(file));
                rec = started;
                parts.add(() -> {
                    try {
                        started.close();
                        java.nio.file.Files.deleteIfExists(file);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            io.github.twinlane.foxglove.FoxgloveServer view = null;
            if (design == Design.TWINLANE_VIEWED || design == Design.TWINLANE_FLOODED) {
                view = io.github.twinlane.foxglove.FoxgloveServer.start(rt,
                        io.github.twinlane.foxglove.FoxgloveConfig.loopback().withPort(0));
            }
            if (cameras) {
                for (int i = 0; i < CAMERAS; i++) {
                    parts.add(0, camera(design, rt, pool, i, video, m, rec, view));
                }
            }
            long warm = System.nanoTime() + s.warmup().toNanos();
            LoopProbe probe;
            if (design == Design.CYCLICTEST) {
                while (System.nanoTime() < warm) {
                    Thread.sleep(20);
                }
                probe = Cyclictest.start(Affinity.first(rt.cpuPlan().fastCpus()), s.trial().toMillis(), tmp);
            } else {
                probe = loop == Loop.DRIVE ? driveLoop(design, rt, pool, m, parts, rec, view)
                    : serialLoop(design, rt, pool, m, parts, tmp);
            if (view != null) {
                // after everything is published: they subscribe to it all
                boolean flooded = design == Design.TWINLANE_FLOODED;
                AutoCloseable viewers = Viewers.start(view, flooded ? 1 : 2, rt.cpuPlan().otherCpus());
                parts.add(0, () -> {
                    try {
                        viewers.close();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (flooded) { // registered as soon as it runs: a failure after it still ends it
                    Viewers.Flooder flooder = Viewers.flooder(view, rt.cpuPlan().otherCpus());
                    parts.add(0, () -> {
                        try {
                            flooder.close();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
                while (System.nanoTime() < warm) {
                    Thread.sleep(20);
                }
            }
            probe.reset();
            m.rtt.reset();
            m.commandToDevice.reset();
            long frames0 = m.frames.get();
            long[] packets0 = recordedPackets(rec);
            long[] viewed0 = Viewers.delivered(view);
            long cpu0 = Viewers.serverCpuNanos();
            long[] server0 = serverCounts(view);
            HeapWatch heap = new HeapWatch();
            long t0 = System.nanoTime();
            List<double[]> windows = new ArrayList<>();
            Histogram all = new Histogram(60_000_000_000L, 3);
            while (System.nanoTime() - t0 < s.trial().toNanos()) {
                Thread.sleep(100);
                heap.sample();
                Histogram w = probe.interval();
                all.add(w);
                windows.add(new double[] {(System.nanoTime() - t0) / 1e9, Math.max(0.1, w.getMaxValue() / 1000.0)}); // log axis
            }
            all.add(probe.finish());
            double secs = (System.nanoTime() - t0) / 1e9;
            Histogram rtt = m.rtt.getIntervalHistogram();
            Histogram toDevice = m.commandToDevice.getIntervalHistogram();
            long[] dm = probe.deadlinesAndMissed();
            long[] packets1 = recordedPackets(rec);
            long[] viewed1 = Viewers.delivered(view);
            long cpu1 = Viewers.serverCpuNanos();
            long framesViewed = viewed1[0] - viewed0[0];
            return new Outcome(all, dm[0], dm[1], rtt, toDevice, (m.frames.get() - frames0) / secs, windows,
                    (packets1[0] - packets0[0]) / secs, packets1[1] - packets0[1], framesViewed / secs,
                    framesViewed == 0 ? Double.NaN : (cpu1 - cpu0) / 1e6 / framesViewed, viewed1[1] - viewed0[1],
                    heap.heapPeak(), heap.directPeak(), delta(serverCounts(view), server0));
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

    /**
     * The live view's counts so far (zeros without one): messages its viewers' queues dropped (data, control
     * and time messages, over either bound), viewers it disconnected for staying unwritable, the largest
     * queue any viewer had in bytes.
     */
    static long[] serverCounts(io.github.twinlane.foxglove.FoxgloveServer view) {
        if (view == null) {
            return new long[3];
        }
        io.github.twinlane.foxglove.FoxgloveStats st = view.stats();
        return new long[] {st.outbound().dropped(), st.disconnects().unwritable(), st.outbound().peakBytes()};
    }

    /** The first two counts since {@code before}; the peak as it is. */
    private static long[] delta(long[] now, long[] before) {
        return new long[] {now[0] - before[0], now[1] - before[1], now[2]};
    }

    /** The cameras' packets a recording wrote and dropped so far; zeros without a recording. */
    static long[] recordedPackets(io.github.twinlane.record.Recording rec) {
        long[] wd = new long[2];
        if (rec != null) {
            for (io.github.twinlane.record.RecordingStats.Stream st : rec.stats().streams()) {
                if (st.topic().endsWith("/packets")) {
                    wd[0] += st.written();
                    wd[1] += st.dropped();
                }
            }
        }
        return wd;
    }

    /** Reads a loop's lateness by interval and its deadline counts. */
    interface LoopProbe {
        void reset();

        Histogram interval();

        /** What the last interval left out (a probe that measures apart, like cyclictest, returns all of it here). */
        default Histogram finish() throws Exception {
            return new Histogram(60_000_000_000L, 3);
        }

        long[] deadlinesAndMissed();
    }

    // ------------------------------------------------------------------ cameras

    static CameraConfig cameraConfig(Path video) {
        return CameraConfig.of(new CameraSource.File(video)).loopFile(true).realtime(true).build();
    }

    static Part camera(Design design, TwinlaneRuntime rt, ScheduledExecutorService pool, int i, Path video, Measure m,
                       io.github.twinlane.record.Recording rec, io.github.twinlane.foxglove.FoxgloveServer view)
            throws Exception {
        FfmpegCameraDriver driver = new FfmpegCameraDriver(cameraConfig(video), 1920 * 1080 * 3);
        if (rec != null) {
            rec.packets("cam" + i, driver, io.github.twinlane.record.ImageCodecs.compressedImage("cam" + i));
        }
        if (view != null) {
            view.publishPackets("cam" + i, driver, io.github.twinlane.record.ImageCodecs.compressedImage("cam" + i));
        }
        switch (design) {
            case TWINLANE, TWINLANE_NO_PLAN, TWINLANE_IN_LOOP, TWINLANE_RECORDED, TWINLANE_VIEWED, TWINLANE_FLOODED,
                 HAND_SPIN, CYCLICTEST -> {
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

    /** The control cycle every drive design runs: read the newest telemetry, time the echo, send a command. */
    static LoopTask control(DeviceChannel<MotorCommand, MotorTelemetry> drive, Measure m) {
        MotorCommand cmd = new MotorCommand();
        MotorTelemetry now = new MotorTelemetry();
        long[] lastEcho = {-1};
        return k -> {
            if (drive.latest(now) && now.lastCommandSequence != lastEcho[0] && now.lastCommandSequence >= 0) {
                lastEcho[0] = now.lastCommandSequence;
                m.rtt.recordValue(Math.max(0, System.nanoTime() - now.lastCommandSentNanos));
            }
            cmd.sequence = k;
            cmd.velocity = 5;
            cmd.sentNanos = System.nanoTime();
            drive.send(cmd);
        };
    }

    static LoopProbe driveLoop(Design design, TwinlaneRuntime rt, ScheduledExecutorService pool, Measure m, List<Part> parts,
                               io.github.twinlane.record.Recording rec, io.github.twinlane.foxglove.FoxgloveServer view)
            throws Exception {
        boolean inLoop = design == Design.TWINLANE_IN_LOOP;
        SimulatedMotorDrive sim = inLoop ? SimulatedMotorDrive.nonBlocking() : new SimulatedMotorDrive();
        MotorCommand cmd = new MotorCommand();
        MotorTelemetry now = new MotorTelemetry();
        long[] lastEcho = {-1};
        if (design == Design.HAND_SPIN) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), sim);
            awaitOpen(drive.state()::toString, () -> drive.state() == ChannelState.OPEN);
            LoopTask control = control(drive, m);
            HandLoop hand = new HandLoop(PERIOD, control::run);
            int cpu = Affinity.first(rt.cpuPlan().fastCpus());
            Thread t = new Thread(() -> hand.runParkThenSpin(cpu, 60_000), "floor-loop");
            t.start();
            parts.add(0, () -> {
                hand.stop();
                HandoffScenario.join(t);
            });
            return hand;
        }
        if (design.twinlane()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                    .placement(inLoop ? Placement.IN_LOOP : Placement.SCHEDULER).build(), new TimedDrive(sim, m.commandToDevice));
            LoopTask control = control(drive, m);
            LoopConfig every = LoopConfig.of("control", java.time.Duration.ofNanos(PERIOD));
            PeriodicLoop loop = inLoop ? rt.every(every, control, drive) : rt.every(every, control);
            awaitOpen(drive.state()::toString, () -> drive.state() == ChannelState.OPEN);
            if (rec != null) {
                rec.data(drive, io.github.twinlane.record.MotorCodecs.telemetry())
                        .commands(drive, io.github.twinlane.record.MotorCodecs.command());
            }
            if (view != null) {
                view.publish(drive);
            }
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
                + "drive's echo (simulated drive, 1 kHz telemetry) or frame to the pty peer's echo. Command→device "
                + "(twinlane drive designs): from the control task's send to the start of the drive's write, where "
                + "the per-role threads hand the command to a writer thread and the in-loop placement writes it on "
                + "the loop's own thread right after the task. " + s.trials()
                + " trials of " + s.trial().toMillis() + " ms after " + s.warmup().toMillis() + " ms warm-up; "
                + "cells are median (min–max) over trials.");
        List<Loop> loops = new ArrayList<>(List.of(Loop.DRIVE));
        if (Pty.available()) {
            loops.add(Loop.SERIAL);
        } else {
            r.para("Not Linux: no kernel ptys, so the serial loop was not measured.");
        }
        Map<String, List<double[]>> plot = new LinkedHashMap<>();
        boolean cyclictest = Cyclictest.available();
        if (!cyclictest) {
            r.para("cyclictest is not installed (Debian package rt-tests), so the machine's own timer floor was not measured.");
        }
        for (Loop loop : loops) {
            List<Design> designs = new ArrayList<>();
            for (Design d : Design.values()) {
                boolean floor = d == Design.HAND_SPIN || d == Design.CYCLICTEST;
                if (loop == Loop.SERIAL && (d == Design.POOL || floor || d == Design.TWINLANE_RECORDED
                        || d == Design.TWINLANE_VIEWED)
                        || d == Design.TWINLANE_VIEWED && !Viewers.available()
                        || d == Design.TWINLANE_FLOODED // its own section: HostileViewerScenario
                        || d == Design.CYCLICTEST && !cyclictest
                        || floor && !Pty.available()) {
                    continue; // the floors measure the drive loop's timing; they need Linux
                }
                designs.add(d);
            }
            // contenders interleaved trial by trial, so that a slow minute of the machine hits them all alike
            Map<String, Trials[]> by = new LinkedHashMap<>();
            Trials recordedFps = new Trials();
            Trials recordDropped = new Trials();
            Trials viewedFps = new Trials();
            Trials serverCpu = new Trials();
            Trials viewDropped = new Trials();
            for (int i = 0; i < s.trials(); i++) {
                for (Design d : designs) {
                    for (boolean cams : new boolean[] {false, true}) {
                        BenchmarkSuite.progress("isolation", loop.name().toLowerCase() + " trial " + (i + 1) + "/"
                                + s.trials() + ": " + d.label + (cams ? " + 4 cameras" : ", alone"));
                        Outcome o = run(s, d, loop, cams, video, tmp);
                        Trials[] t = by.computeIfAbsent(d + "/" + cams, k -> new Trials[] {new Trials(), new Trials(),
                                new Trials(), new Trials(), new Trials(), new Trials(), new Trials(), new Trials(),
                                new Trials(), new Trials()});
                        t[0].add(o.lateness().getValueAtPercentile(50));
                        t[1].add(o.lateness().getValueAtPercentile(99));
                        t[2].add(o.lateness().getMaxValue());
                        t[3].add(100.0 * o.missed() / Math.max(1, o.deadlines()));
                        t[4].add(o.rtt().getTotalCount() == 0 ? Double.NaN : o.rtt().getValueAtPercentile(50));
                        t[5].add(o.rtt().getTotalCount() == 0 ? Double.NaN : o.rtt().getValueAtPercentile(99));
                        t[6].add(o.fps());
                        t[7].add(o.lateness().getValueAtPercentile(99.9));
                        boolean timed = o.commandToDevice().getTotalCount() > 0;
                        t[8].add(timed ? o.commandToDevice().getValueAtPercentile(50) : Double.NaN);
                        t[9].add(timed ? o.commandToDevice().getValueAtPercentile(99) : Double.NaN);
                        if (d == Design.TWINLANE_VIEWED && cams) {
                            viewedFps.add(o.viewedFps());
                            serverCpu.add(o.serverCpuMsPerFrame());
                            viewDropped.add(o.viewDropped());
                        }
                        if (d == Design.TWINLANE_RECORDED && cams) {
                            recordedFps.add(o.recordedFps());
                            recordDropped.add(o.recordDropped());
                        }
                        if (i == 0 && loop == Loop.DRIVE && (cams || d == Design.TWINLANE) && d != Design.CYCLICTEST) { // cyclictest has no windows
                            plot.put(d.label + (cams ? " + 4 cameras" : ", alone"), o.windows());
                        }
                    }
                }
            }
            List<List<String>> rows = new ArrayList<>();
            for (Design d : designs) {
                for (boolean cams : new boolean[] {false, true}) {
                    Trials[] t = by.get(d + "/" + cams);
                    rows.add(List.of(d.label, cams ? "4 × 1080p30" : "alone", Report.us(t[0]), Report.us(t[1]),
                            Report.us(t[7]), Report.us(t[2]), Report.num(t[3]) + " %",
                            Double.isNaN(t[4].median()) ? "–" : Report.us(t[4]),
                            Double.isNaN(t[5].median()) ? "–" : Report.us(t[5]),
                            Double.isNaN(t[8].median()) ? "–" : Report.us(t[8]),
                            Double.isNaN(t[9].median()) ? "–" : Report.us(t[9]), cams ? Report.num(t[6]) : "–"));
                }
            }
            r.para("**" + loop.label + "**");
            r.table(List.of("design", "cameras", "lateness p50", "p99", "p99.9", "max", "missed deadlines",
                    "round trip p50", "round trip p99", "command→device p50", "command→device p99",
                    "frames/s (all cameras)"), rows);
            String scenario = "isolation/" + loop.name().toLowerCase();
            Trials[] alone = by.get(Design.TWINLANE + "/false");
            Trials[] loaded = by.get(Design.TWINLANE + "/true");
            r.target(scenario, "twinlane default: loop p99 with cameras / alone (per trial pair)",
                    Trials.medianRatio(loaded[1], alone[1]), 1.5, true);
            if (loop == Loop.DRIVE) {
                Trials[] recorded = by.get(Design.TWINLANE_RECORDED + "/true");
                r.target(scenario, "recording on: loop p99 with four 1080p30 MJPEG cameras and the drive recorded / "
                        + "not recorded (per trial pair)", Trials.medianRatio(recorded[1], loaded[1]), 1.2, true);
                Trials[] viewed = by.get(Design.TWINLANE_VIEWED + "/true");
                if (viewed != null) {
                    r.target(scenario, "live view: loop p99 with four cameras and two viewers / no viewer (per trial pair)",
                            Trials.medianRatio(viewed[1], loaded[1]), 1.2, true);
                    r.para("Live view on (" + Design.TWINLANE_VIEWED.label + "): frames delivered to the two viewers "
                            + Report.num(viewedFps) + " /s in all (each camera's JPEG at most 5 times a second per "
                            + "viewer); server CPU (its event loop, service and taps) " + Report.num(serverCpu)
                            + " ms per delivered frame; " + Report.num(viewDropped) + " value(s) dropped for slow "
                            + "viewers per trial; median (min–max).");
                }
                r.para("Recording on (" + Design.TWINLANE_RECORDED.label + "): the four cameras' JPEGs were written at "
                        + Report.num(recordedFps) + " frames/s in all; " + Report.num(recordDropped)
                        + " packet(s) dropped per trial (a full backlog), median (min–max).");
            }
            r.target(scenario, "twinlane default: missed deadlines with cameras minus alone, percentage points",
                    loaded[3].median() - alone[3].median(), 0.05, true);
            for (boolean cams : new boolean[] {false, true}) {
                String when = cams ? "with cameras" : "alone";
                Trials[] dflt = by.get(Design.TWINLANE + "/" + cams);
                Trials[] off = by.get(Design.TWINLANE_NO_PLAN + "/" + cams);
                r.target(scenario, "twinlane default " + when + ": loop p99 plan on / plan off (per trial pair)",
                        Trials.medianRatio(dflt[1], off[1]), 1.0, true);
                if (loop == Loop.DRIVE) {
                    r.target(scenario, "twinlane default " + when + ": loop p50, µs", dflt[0].median() / 1000, 10, true);
                    Trials[] spin = by.get(Design.HAND_SPIN + "/" + cams);
                    if (spin != null) {
                        r.target(scenario, "twinlane default " + when + ": loop p99 / hand-written park-then-spin p99 "
                                + "(per trial pair)", Trials.medianRatio(dflt[1], spin[1]), 1.2, true);
                    }
                    Trials[] ct = by.get(Design.CYCLICTEST + "/" + cams);
                    if (ct != null) {
                        r.target(scenario, "twinlane default " + when + ": loop p99 / cyclictest p99 (per trial pair)",
                                Trials.medianRatio(dflt[1], ct[1]), 2.0, true);
                    }
                }
            }
            Trials[] noPlan = by.get(Design.TWINLANE_NO_PLAN + "/true");
            Trials[] dedicated = by.get(Design.DEDICATED + "/true");
            Trials[] inLoop = by.get(Design.TWINLANE_IN_LOOP + "/true");
            r.para("With cameras, loop p99 (median of per-trial ratios): device in the loop "
                    + String.format(java.util.Locale.ROOT, "%.2f×", Trials.medianRatio(inLoop[1], loaded[1]))
                    + ", CPU plan off " + String.format(java.util.Locale.ROOT, "%.2f×", Trials.medianRatio(noPlan[1], loaded[1]))
                    + " and dedicated threads " + String.format(java.util.Locale.ROOT, "%.2f×",
                    Trials.medianRatio(dedicated[1], loaded[1])) + " of twinlane's default.");
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        plot.forEach((k, v) -> series.put(k, Plots.xy(v)));
        Path png = s.out().resolve("isolation-jitter.png");
        Plots.lines(png, "1 kHz control loop: worst start lateness per 100 ms window", "time (s)", "max lateness (µs, log)",
                false, true, series);
        r.image(png.getFileName().toString(), "loop jitter over time with and without cameras");
    }
}
