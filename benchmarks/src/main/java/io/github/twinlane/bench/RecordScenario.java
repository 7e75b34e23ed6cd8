package io.github.twinlane.bench;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.LoopTask;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.LoopClock;
import io.github.twinlane.record.LoopInput;
import io.github.twinlane.record.LoopOutput;
import io.github.twinlane.record.LoopRecorder;
import io.github.twinlane.record.LoopReplay;
import io.github.twinlane.record.MotorCodecs;
import io.github.twinlane.record.Recording;
import io.github.twinlane.record.RecordingConfig;
import io.github.twinlane.record.mcap.McapCompression;
import io.github.twinlane.record.mcap.McapWriter;
import io.github.twinlane.sim.SimulatedMotorDrive;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Scenario 9: the MCAP writer against a plain FileChannel, and how fast a recorded loop replays. */
final class RecordScenario {
    private static final int MESSAGE = 512;

    private RecordScenario() {
    }

    /** Writes {@code count} messages; returns payload MB/s. */
    static double mcap(Path file, McapCompression c, byte[][] messages) throws Exception {
        long t0 = System.nanoTime();
        try (McapWriter w = McapWriter.create(file, McapWriter.Options.defaults().withCompression(c))) {
            int s = w.schema("bench", "", new byte[0]);
            int ch = w.channel(s, "/bench", "json", Map.of());
            for (int i = 0; i < messages.length; i++) {
                w.message(ch, i, i, i, messages[i], 0, messages[i].length);
            }
        }
        return (double) messages.length * MESSAGE / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    /** The same payload bytes through a 64 KiB buffer into a FileChannel, then forced as the writer's close does. */
    static double plain(Path file, byte[][] messages) throws Exception {
        long t0 = System.nanoTime();
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            for (byte[] m : messages) {
                if (b.remaining() < m.length) {
                    b.flip();
                    while (b.hasRemaining()) {
                        f.write(b);
                    }
                    b.clear();
                }
                b.put(m);
            }
            b.flip();
            while (b.hasRemaining()) {
                f.write(b);
            }
            f.force(false);
        }
        return (double) messages.length * MESSAGE / ((System.nanoTime() - t0) / 1e9) / 1e6;
    }

    /** A sine-following controller on the replayable interfaces. */
    static LoopTask controller(LoopInput<MotorTelemetry> in, LoopOutput<MotorCommand> out, LoopClock clock) {
        MotorTelemetry t = new MotorTelemetry();
        MotorCommand c = new MotorCommand();
        return k -> {
            double target = 20 * Math.sin(k / 1000.0);
            double v = in.latest(t) ? t.velocity : 0;
            c.sequence = k;
            c.velocity = target + 0.5 * (target - v);
            c.sentNanos = clock.nowNanos();
            out.send(c);
        };
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /**
     * CPU time per frame: recording a camera's own JPEG (encode as foxglove.CompressedImage, write, compress the
     * chunk) against decoding it to BGR24 as the camera driver does. Process CPU time, so FFmpeg's own decoder
     * threads count; nothing else runs meanwhile.
     */
    static void cpuPerFrame(Settings s, Report r, Path tmp, int trials) throws Exception {
        BenchmarkSuite.progress("record", "CPU per frame: writing the 1080p MJPEG clip");
        Path video = TestVideo.mjpeg1080(tmp);
        int frames = s.quick() ? 60 : 240;
        // the clip's packets, as the driver hands them out, kept in memory
        List<io.github.twinlane.video.EncodedPacket> packets = new ArrayList<>();
        io.github.twinlane.camera.FfmpegCameraDriver collect = new io.github.twinlane.camera.FfmpegCameraDriver(
                io.github.twinlane.camera.CameraConfig.of(new io.github.twinlane.camera.CameraSource.File(video))
                        .realtime(false).decodeOnDemand(true).build(), 0);
        collect.onPacket(p -> {
            io.github.twinlane.video.EncodedPacket copy = new io.github.twinlane.video.EncodedPacket(p.length());
            p.copyTo(copy);
            packets.add(copy);
        });
        collect.bind(() -> false); // nobody waits: read packets, decode none
        collect.open();
        io.github.twinlane.video.VideoFrame none = new io.github.twinlane.video.VideoFrame(0);
        while (!collect.stats().endOfStream()) {
            collect.read(none);
        }
        collect.close();
        Trials decode = new Trials();
        Map<McapCompression, Trials> record = new LinkedHashMap<>();
        for (McapCompression c : McapCompression.values()) {
            record.put(c, new Trials());
        }
        long jpegBytes = 0;
        for (io.github.twinlane.video.EncodedPacket p : packets) {
            jpegBytes += p.length();
        }
        for (int i = 0; i < trials; i++) {
            BenchmarkSuite.progress("record", "CPU per frame trial " + (i + 1) + "/" + trials);
            io.github.twinlane.camera.FfmpegCameraDriver d = new io.github.twinlane.camera.FfmpegCameraDriver(
                    io.github.twinlane.camera.CameraConfig.of(new io.github.twinlane.camera.CameraSource.File(video))
                            .realtime(false).loopFile(true).decodeOnDemand(false).build(), 1920 * 1080 * 3);
            d.bind(() -> true);
            d.open();
            io.github.twinlane.video.VideoFrame f = new io.github.twinlane.video.VideoFrame(1920 * 1080 * 3);
            d.read(f); // the decoder's first frame costs its set-up
            long cpu0 = OS.getProcessCpuTime();
            int n = 0;
            while (n < frames) {
                if (d.read(f)) {
                    n++;
                }
            }
            decode.add((OS.getProcessCpuTime() - cpu0) / 1e6 / n);
            d.close();
            for (McapCompression c : McapCompression.values()) {
                io.github.twinlane.record.RecordCodec<io.github.twinlane.video.EncodedPacket> codec =
                        io.github.twinlane.record.ImageCodecs.compressedImage("cam");
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 20);
                Path file = tmp.resolve("frames.mcap");
                cpu0 = OS.getProcessCpuTime();
                try (McapWriter w = McapWriter.create(file, McapWriter.Options.defaults().withCompression(c))) {
                    int ch = w.channel(w.schema(codec.schemaName(), codec.schemaEncoding(), codec.schema()), "/cam/packets",
                            codec.messageEncoding(), Map.of());
                    for (int k = 0; k < frames; k++) {
                        bytes.reset();
                        codec.encode(packets.get(k % packets.size()), bytes);
                        w.message(ch, k, k, k, bytes.toByteArray(), 0, bytes.size());
                    }
                }
                record.get(c).add((OS.getProcessCpuTime() - cpu0) / 1e6 / frames);
            }
        }
        r.para("CPU per camera frame: a 1920×1080 MJPEG clip (" + packets.size() + " frames, "
                + (jpegBytes / packets.size() / 1024) + " KiB per JPEG on average), " + frames + " frames per trial, "
                + trials + " trials interleaved; process CPU time (FFmpeg's decoder threads included) per frame, "
                + "median (min–max). Recording a frame: the camera's own JPEG encoded as foxglove.CompressedImage "
                + "(JSON, base64) and written by the MCAP writer, chunk compression included; decoding: the camera "
                + "driver's decode and conversion to BGR24, which recording the packet avoids.");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("decode to BGR24 (the camera driver)", Report.num(decode) + " ms", "1.00×"));
        for (Map.Entry<McapCompression, Trials> e : record.entrySet()) {
            rows.add(List.of("record the JPEG as CompressedImage, " + e.getKey() + " chunks", Report.num(e.getValue()) + " ms",
                    Report.ratio(Trials.medianRatio(e.getValue(), decode), 1)));
        }
        r.table(List.of("per frame", "CPU ms", "ratio to decoding"), rows);
        r.target("record", "CPU per frame: record the camera's JPEG (zstd) / decode it",
                Trials.medianRatio(record.get(McapCompression.ZSTD), decode), 1.0, true);
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("9. Recording and replay");
        Path tmp = Files.createTempDirectory("twinlane-record-bench");
        int count = s.quick() ? 100_000 : 400_000;
        Random rnd = new Random(42);
        byte[][] messages = new byte[count][];
        for (int i = 0; i < count; i++) {
            // JSON-like telemetry text: compressible as real telemetry is
            String j = String.format(java.util.Locale.ROOT, "{\"sequence\":%d,\"velocity\":%.6f,\"position\":%.6f}", i,
                    rnd.nextGaussian(), i * 0.001);
            byte[] m = new byte[MESSAGE];
            byte[] jb = j.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            System.arraycopy(jb, 0, m, 0, jb.length);
            java.util.Arrays.fill(m, jb.length, MESSAGE, (byte) ' ');
            messages[i] = m;
        }
        int trials = Math.max(3, s.trials());
        Map<String, Trials> results = new LinkedHashMap<>();
        String plainName = "plain FileChannel, 64 KiB buffer";
        results.put(plainName, new Trials());
        for (McapCompression c : McapCompression.values()) {
            results.put("McapWriter, " + c, new Trials());
        }
        for (int i = 0; i < trials; i++) {
            BenchmarkSuite.progress("record", "writer trial " + (i + 1) + "/" + trials);
            results.get(plainName).add(plain(tmp.resolve("plain.bin"), messages));
            for (McapCompression c : McapCompression.values()) {
                results.get("McapWriter, " + c).add(mcap(tmp.resolve("w.mcap"), c, messages));
            }
        }
        r.para("Writer throughput: " + count + " messages of " + MESSAGE + " bytes (JSON telemetry text padded), written "
                + "by the MCAP writer with 1 MiB chunks and closed (summary, fsync), against the same payload bytes "
                + "written through a 64 KiB buffer into a FileChannel and forced. " + trials + " trials, interleaved; "
                + "payload MB/s, median (min–max); ratio per trial pair.");
        List<List<String>> rows = new ArrayList<>();
        Trials plain = results.get(plainName);
        for (Map.Entry<String, Trials> e : results.entrySet()) {
            rows.add(List.of(e.getKey(), Report.num(e.getValue()), Report.ratio(Trials.medianRatio(e.getValue(), plain), 1)));
        }
        r.table(List.of("writer", "payload MB/s", "ratio to the plain FileChannel"), rows);
        r.target("record", "MCAP writer (no compression) MB/s / plain FileChannel MB/s",
                Trials.medianRatio(results.get("McapWriter, NONE"), plain), 0.8, false);

        cpuPerFrame(s, r, tmp, trials);

        // replay speed: a loop recorded live for a few seconds, then replayed as fast as possible
        BenchmarkSuite.progress("record", "recording a 1 kHz loop to replay");
        Path file = tmp.resolve("loop.mcap");
        long recorded;
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (drive.state() != ChannelState.OPEN && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Recording rec = Recording.start(rt, RecordingConfig.to(file));
            LoopRecorder io = LoopRecorder.start(rec, "control");
            PeriodicLoop loop = rt.every(LoopConfig.of("control", Duration.ofMillis(1)),
                    io.wrap(controller(io.input(drive, MotorCodecs.telemetry()), io.output(drive, MotorCodecs.command()), io)));
            Thread.sleep(s.quick() ? 2000 : 5000);
            loop.close();
            rec.close();
            recorded = loop.stats().cycles();
        }
        Trials rate = new Trials();
        for (int i = 0; i < trials; i++) {
            BenchmarkSuite.progress("record", "replay trial " + (i + 1) + "/" + trials);
            LoopReplay replay = LoopReplay.open(file, "control");
            long t0 = System.nanoTime();
            LoopReplay.Result res = replay.run(controller(replay.input("drive", MotorCodecs.telemetry()),
                    replay.output("drive", MotorCodecs.command()), replay));
            rate.add(res.cycles() / ((System.nanoTime() - t0) / 1e9));
            if (res.divergence().isPresent()) {
                throw new IllegalStateException("the benchmark's own replay diverged: " + res.divergence().get());
            }
        }
        r.para("Replay: a 1 kHz loop recorded live (" + recorded + " cycles: its time, the drive's telemetry it read, "
                + "the command it sent), replayed deterministically as fast as possible on one thread (decoding the "
                + "recorded JSON and comparing every command; the file is read before the clock starts). " + trials
                + " trials: " + Report.num(rate) + " cycles/s, " + Report.num(rate.median() / 1000) + "× real time.");
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(tmp);
    }
}
