package io.github.twinlane;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import java.time.Duration;

/** A tiny program for CpuPlanTest to run in a child JVM under taskset. */
public final class CpuPlanProbe {
    private CpuPlanProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            rt.open(ChannelConfig.slow("cam").build(), new SimulatedCamera());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // only catches a hang
            while (drive.stats().dataReceived() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            System.out.println("PROBE received=" + drive.stats().dataReceived());
            System.out.println("PROBE " + rt.cpuPlan());
        }
    }
}
