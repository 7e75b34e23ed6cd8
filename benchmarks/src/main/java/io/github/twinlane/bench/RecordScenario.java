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
