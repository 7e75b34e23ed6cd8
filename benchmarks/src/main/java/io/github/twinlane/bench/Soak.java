package io.github.twinlane.bench;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LoopStats;
import io.github.twinlane.NoCommand;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak mode: the two-lane system (a 1 kHz loop on a watchdog-guarded simulated drive, four simulated
 * cameras) for minutes, with a different fault every three seconds; memory, missed cycles,
 * reconnects and safe stops sampled over time, and the invariants checked at the end.
 * {@code mvn -q -pl benchmarks -am compile exec:exec -Dbench.args="--soak --minutes 10"}
 */
final class Soak {
    private Soak() {
    }

    static void run(Path out, int minutes) throws Exception {
        long end = System.nanoTime() + Duration.ofMinutes(minutes).toNanos();
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        List<SimulatedCamera> cams = new ArrayList<>();
        AtomicBoolean stall = new AtomicBoolean();
        AtomicBoolean throwOnce = new AtomicBoolean();
        AtomicLong frames = new AtomicLong();
        StringBuilder rows = new StringBuilder();
        List<String> faults = new ArrayList<>();
        TwinlaneRuntime rt = TwinlaneRuntime.builder().build();
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                .maxDataAge(Duration.ofMillis(20)).build(), sim);
        List<DeviceChannel<NoCommand, VideoFrame>> camChannels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SimulatedCamera c = new SimulatedCamera("cam" + i, 640, 480, 30, PixelFormat.BGR24, Duration.ofMillis(2));
            cams.add(c);
            camChannels.add(rt.open(ChannelConfig.slow("cam" + i).build(), c, (f, at) -> {
                frames.incrementAndGet();
                if (throwOnce.getAndSet(false)) {
                    throw new IllegalStateException("injected handler bug");
                }
            }));
        }
        while (drive.state() != ChannelState.OPEN) {
            Thread.sleep(5);
        }
        drive.watchdog(Duration.ofMillis(20), c -> {
            c.velocity = 0;
            c.sequence = -1;
        });
        MotorCommand cmd = new MotorCommand();
        PeriodicLoop loop = rt.every(Duration.ofMillis(1), "control", k -> {
            if (stall.getAndSet(false)) {
                Thread.sleep(60); // the loop stalls: the watchdog must stop the motor
            }
            cmd.sequence = k;
            cmd.velocity = 10 * Math.sin(k / 1000.0);
            cmd.sentNanos = System.nanoTime();
            drive.send(cmd);
        });
        long start = System.nanoTime();
        long nextFault = start + 3_000_000_000L;
        long nextSample = start;
        long sampleEvery = Math.max(10_000_000_000L, Duration.ofMinutes(minutes).toNanos() / 30);
        int fault = 0;
        rows.append("| t (s) | heap used (MB) | threads | loop cycles | missed | lateness p99 | reconnects | safe stops | "
                + "e-stops | handler errors | corrupt reads | frames/s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        long lastFrames = 0;
        long lastSampleAt = start;
        while (System.nanoTime() < end) {
            Thread.sleep(50);
            long now = System.nanoTime();
            if (now >= nextFault) {
                nextFault += 3_000_000_000L;
                String what = inject(fault++ % 8, sim, cams, drive, stall, throwOnce);
                faults.add(String.format(Locale.ROOT, "%.0f s: %s", (now - start) / 1e9, what));
            }
            if (now >= nextSample) {
                nextSample += sampleEvery;
                LoopStats l = loop.stats();
                ChannelStats d = drive.stats();
                long reconnects = d.reconnects();
                long errors = d.handlerErrors();
                long corrupt = d.corruptReads();
                for (DeviceChannel<NoCommand, VideoFrame> c : camChannels) {
                    reconnects += c.stats().reconnects();
                    errors += c.stats().handlerErrors();
                }
                long f = frames.get();
                double fps = (f - lastFrames) / Math.max(1e-9, (now - lastSampleAt) / 1e9);
                lastFrames = f;
                lastSampleAt = now;
                String row = String.format(Locale.ROOT, "| %.0f | %.1f | %d | %d | %d | %s | %d | %d | %d | %d | %d | %.0f |",
                        (now - start) / 1e9, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0,
                        ManagementFactory.getThreadMXBean().getThreadCount(), l.cycles(), l.missed(),
                        Report.us(l.lateness().p99()), reconnects, d.safeStops(), d.emergencyStops(), errors, corrupt, fps);
                rows.append(row).append('\n');
                BenchmarkSuite.progress("soak", row);
            }
        }
        LoopStats l = loop.stats();
        List<ChannelStats> all = rt.channelStats();
        rt.close();
        List<Thread> survivors = rt.liveThreads();
        StringBuilder md = new StringBuilder("# twinlane soak run\n\n");
        md.append(String.format(Locale.ROOT, "%d minutes of the two-lane system (1 kHz loop on a simulated drive with a "
                + "20 ms watchdog and a 20 ms input age limit; four simulated 640×480 cameras at 30 frames/s, 2 ms CPU "
                + "each) with a fault every 3 s (%d faults). CPU plan: %s.%n%n", minutes, faults.size(), rt.cpuPlan()));
        md.append(Machine.describe()).append('\n');
        md.append("## Over time\n\n").append(rows).append('\n');
        md.append("## At the end\n\n");
        md.append("- loop: ").append(l).append('\n');
        boolean exact = true;
        for (ChannelStats s : all) {
            md.append("- ").append(s).append('\n');
            exact &= s.commandsSent() == s.commandsWritten() + s.commandsFailed() + s.commandsDropped()
                    && s.dataReceived() == s.dataDelivered() + s.dataDropped();
        }
        md.append("- counters exact (sent = written + failed + dropped, received = delivered + dropped) on every channel: ")
                .append(exact).append('\n');
        md.append("- threads of ours alive after close: ").append(survivors.size()).append('\n');
        md.append("\n## Faults injected\n\n");
        for (String f : faults) {
            md.append("- ").append(f).append('\n');
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("SOAK.md"), md.toString());
        BenchmarkSuite.progress("soak", "report in " + out.resolve("SOAK.md") + "; exact counters " + exact
                + ", survivors " + survivors.size());
    }

    private static String inject(int which, SimulatedMotorDrive sim, List<SimulatedCamera> cams,
                                 DeviceChannel<MotorCommand, MotorTelemetry> drive, AtomicBoolean stall,
                                 AtomicBoolean throwOnce) throws InterruptedException {
        switch (which) {
            case 0 -> {
                sim.faults().unplug();
                Thread.sleep(300);
                sim.faults().replug();
                return "drive unplugged for 300 ms";
            }
            case 1 -> {
                sim.faults().garbage(20);
                return "20 corrupt telemetry frames";
            }
            case 2 -> {
                cams.get(0).faults().hang();
                Thread.sleep(1000);
                cams.get(0).faults().release();
                return "cam0 read hung for 1 s";
            }
            case 3 -> {
                stall.set(true);
                return "control loop stalled 60 ms (watchdog)";
            }
            case 4 -> {
                cams.get(1).faults().unplug();
                Thread.sleep(500);
                cams.get(1).faults().replug();
                return "cam1 unplugged for 500 ms";
            }
            case 5 -> {
                MotorCommand stop = new MotorCommand();
                drive.emergencyStop(stop);
                Thread.sleep(200);
                drive.releaseEmergencyStop();
                return "emergency stop, released after 200 ms";
            }
            case 6 -> {
                sim.faults().hang();
                Thread.sleep(100);
                sim.faults().release();
                throwOnce.set(true);
                return "drive telemetry hung 100 ms (stale input) and a camera handler threw";
            }
            default -> {
                cams.get(2).faults().freeze(true);
                Thread.sleep(1000);
                cams.get(2).faults().freeze(false);
                return "cam2 frozen for 1 s";
            }
        }
    }
}
