package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With the CPU plan on, Aeron's threads never share the fast lane's reserved core: read back from /proc. */
class CpuPlanBridgeTest {

    private static String status(Path task, String field) throws IOException {
        for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith(field)) {
                return line.substring(field.length()).trim();
            }
        }
        return "";
    }

    @Test
    void aeronThreadsStayOffTheFastLanesCore() throws Exception {
        io.github.twinlane.test.Rig.requireLinuxCpus(2);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.DEFAULT).build()) {
            // the bridge before the fast lane (the sweep must move its threads) ...
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", Duration.ofSeconds(20), () -> drive.state() == ChannelState.OPEN, drive::toString);
            // ... and an export after it (its thread must start off the core)
            Export export = bridge.export(drive, Link.ipc(400), Schemas.motor(), ExportOptions.defaults());
            Await.until("the export's thread has opened its publication", Duration.ofSeconds(20),
                    () -> export.stats().state() == ChannelState.OPEN, export::toString);
            assertTrue(rt.cpuPlan().applied(), rt.cpuPlan()::toString);
            String fast = rt.cpuPlan().fastCpus();
            String other = rt.cpuPlan().otherCpus();
            List<String> checked = new ArrayList<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("twinlane-fast")) {
                        continue; // the fast lane's own threads
                    }
                    String allowed = status(task, "Cpus_allowed_list:");
                    if (allowed.isEmpty()) {
                        continue; // exited meanwhile
                    }
                    assertEquals(other, allowed, "thread '" + name + "' may run on the fast lane's CPUs " + fast);
                    checked.add(name);
                }
            }
            assertTrue(checked.stream().anyMatch(n -> n.startsWith("aeron-client")), "checked " + checked);
            assertTrue(checked.stream().anyMatch(n -> n.contains("twinlane-aero") || n.startsWith("/dev/shm")),
                    "the embedded driver's thread was checked: " + checked);
        }
    }
}
