package io.github.twinlane;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * For MemoryBudgetTest, in a child JVM with a 64 MiB direct-memory limit: opens two 1280x720 cameras
 * (23.7 MiB each), then a recording tap on each (29.0 MiB), printing what was opened and the first refusal.
 * With {@code reopen}: opens the two cameras, closes them and opens them again, five times in one runtime,
 * printing how many rounds it got through (the closed cameras' frames are garbage, not yet collected).
 */
public final class DirectMemoryProbe {
    private DirectMemoryProbe() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("reopen")) {
            reopen();
            return;
        }
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            List<DeviceChannel<NoCommand, VideoFrame>> cams = new ArrayList<>();
            StringBuilder opened = new StringBuilder("PROBE opened");
            try {
                for (int i = 0; i < 2; i++) {
                    cams.add(rt.open(ChannelConfig.slow("cam" + i).build(),
                            new SimulatedCamera("cam" + i, 1280, 720, 30, PixelFormat.BGR24, Duration.ZERO)));
                    opened.append(" cam").append(i);
                }
                System.out.println(opened);
                for (DeviceChannel<NoCommand, VideoFrame> cam : cams) {
                    cam.tapData(TapConfig.of("rec"), (f, t) -> { });
                }
                System.out.println("PROBE all taps made");
            } catch (IllegalStateException e) {
                System.out.println(opened);
                System.out.println("PROBE refused: " + e.getMessage());
            }
        }
    }

    private static void reopen() {
        int rounds = 0;
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            for (; rounds < 5; rounds++) {
                List<DeviceChannel<NoCommand, VideoFrame>> cams = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    cams.add(rt.open(ChannelConfig.slow("cam" + i).build(),
                            new SimulatedCamera("cam" + i, 1280, 720, 30, PixelFormat.BGR24, Duration.ZERO)));
                }
                for (DeviceChannel<NoCommand, VideoFrame> cam : cams) {
                    cam.close();
                }
            }
            System.out.println("PROBE reopened " + rounds + " times");
        } catch (IllegalStateException e) {
            System.out.println("PROBE refused after " + rounds + " rounds: " + e.getMessage());
        }
    }
}
