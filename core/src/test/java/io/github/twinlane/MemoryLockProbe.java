package io.github.twinlane;

import io.github.twinlane.sim.SimulatedMotorDrive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** For CpuPlanTest, in a child JVM (a memory lock lasts for the life of the process): locks, reports, exits. */
public final class MemoryLockProbe {
    private MemoryLockProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT.withLockedMemory(true)).build()) {
            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // only catches a hang
            while (drive.stats().dataReceived() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            String locked = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmLck:")).findFirst().orElse("VmLck: ?");
            System.out.println("PROBE locked=" + rt.cpuPlan().memoryLocked());
            System.out.println("PROBE " + locked.replaceAll("\\s+", " "));
            System.out.println("PROBE " + rt.cpuPlan());
        }
    }
}
