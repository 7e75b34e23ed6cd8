package io.github.twinlane.bench;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LoopConfig;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.Placement;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One run of the isolation rig in a JVM of its own, for {@link GcScenario}: the default 1 kHz loop
 * driving a simulated drive in the loop, four cameras decoding the 1080p clip, and an application
 * thread allocating about 64 MB/s of short-lived garbage (what JSON logging, a UI or a planner does),
 * so that the collector has work. Prints one line: {@code GCPROBE p50 p99 p99.9 max deadlines missed}.
 *
 * <p>Arguments: the clip, warm-up ms, trial ms.
 */
public final class GcProbe {
    private GcProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path clip = Path.of(args[0]);
        long warmMs = Long.parseLong(args[1]);
        long trialMs = Long.parseLong(args[2]);
        volatileSink = new Object[1];
        Thread app = new Thread(GcProbe::allocate, "app-allocations");
        app.setDaemon(true);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            List<DeviceChannel<?, ?>> cams = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                cams.add(rt.open(ChannelConfig.slow("cam" + i).build(),
                        new FfmpegCameraDriver(IsolationScenario.cameraConfig(clip), 1920 * 1080 * 3)));
            }
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                    .placement(Placement.IN_LOOP).build(), SimulatedMotorDrive.nonBlocking());
            MotorCommand cmd = new MotorCommand();
            MotorTelemetry now = new MotorTelemetry();
            PeriodicLoop loop = rt.every(LoopConfig.of("control", Duration.ofMillis(1)), k -> {
                drive.latest(now);
                cmd.sequence = k;
                cmd.velocity = now.velocity + 0.1;
                drive.send(cmd);
            }, drive);
            app.start(); // started after the runtime, so the CPU plan's sweep has put it off the fast core
            IsolationScenario.awaitOpen(drive.state()::toString, () -> drive.state() == ChannelState.OPEN);
            Thread.sleep(warmMs);
            loop.latenessSinceLastCall();
            long c0 = loop.stats().cycles() + loop.stats().missed();
            long m0 = loop.stats().missed();
            Thread.sleep(trialMs);
            Histogram h = Histogram.decodeFromCompressedByteBuffer(
                    loop.latenessDistributionSinceLastCall().toHdrHistogramBytes(), 0);
            long deadlines = loop.stats().cycles() + loop.stats().missed() - c0;
            long missed = loop.stats().missed() - m0;
            System.out.println("GCPROBE " + h.getValueAtPercentile(50) + " " + h.getValueAtPercentile(99) + " "
                    + h.getValueAtPercentile(99.9) + " " + h.getMaxValue() + " " + deadlines + " " + missed);
        }
    }

    private static volatile Object[] volatileSink;

    /** About 64 MB/s in 64 KiB arrays, most dying at once, one in 64 kept for a while (some promotion). */
    private static void allocate() {
        Object[] keep = new Object[256];
        long k = 0;
        while (true) {
            byte[] b = new byte[64 * 1024];
            b[(int) (k & 0xffff)] = (byte) k;
            if ((k & 63) == 0) {
                keep[(int) ((k >> 6) & 255)] = b;
            }
            volatileSink[0] = b;
            if ((++k & 15) == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(15_000_000); // 16 x 64 KiB per ~16 ms
            }
        }
    }
}
