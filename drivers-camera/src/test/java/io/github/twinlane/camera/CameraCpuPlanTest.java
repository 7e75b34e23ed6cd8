package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlanReport;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Rig;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FFmpeg's own decoder threads, started after the CPU plan applied, inherit the slow lane's CPUs. */
class CameraCpuPlanTest {
    @TempDir
    Path dir;

    static Map<Integer, String[]> tasks() throws IOException {
        Map<Integer, String[]> out = new HashMap<>();
        try (var list = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : list.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
                    String mask = Files.readAllLines(t.resolve("status")).stream()
                            .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                            .substring("Cpus_allowed_list:".length()).trim();
                    out.put(Integer.parseInt(t.getFileName().toString()), new String[] {name, mask});
                } catch (IOException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return out;
    }

    @Test
    void shouldRunFfmpegDecoderThreadsOnTheSlowLanesCpus() throws Exception {
        Rig.requireLinuxCpus(2);
        Path file = VideoFiles.write(dir.resolve("h264.mkv"), "libopenh264", 640, 480, 60, 30);
        Set<Integer> before = tasks().keySet();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            CpuPlanReport plan = rt.cpuPlan();
            assertTrue(plan.applied(), plan.toString());
            AtomicLong frames = new AtomicLong();
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam").build(), new FfmpegCameraDriver(
                    CameraConfig.of(new CameraSource.File(file)).decodeThreads(3).loopFile(true).build(), 0),
                    (f, at) -> frames.incrementAndGet());
            Await.until("20 frames", () -> frames.get() >= 20, cam.stats()::toString);
            Map<Integer, String[]> now = tasks();
            Set<String> javaThreads = Thread.getAllStackTraces().keySet().stream()
                    .map(t -> t.getName().substring(0, Math.min(15, t.getName().length()))).collect(Collectors.toSet());
            Map<Integer, String[]> nativeNew = new HashMap<>();
            now.forEach((tid, info) -> {
                if (!before.contains(tid) && !javaThreads.contains(info[0])) {
                    nativeNew.put(tid, info);
                }
            });
            assertTrue(nativeNew.size() >= 2, "FFmpeg started its decoder threads: "
                    + nativeNew.values().stream().map(i -> i[0]).toList());
            for (String[] info : nativeNew.values()) {
                assertEquals(plan.otherCpus(), info[1], "native thread " + info[0] + " is off the fast lane's CPU");
            }
        }
    }
}
