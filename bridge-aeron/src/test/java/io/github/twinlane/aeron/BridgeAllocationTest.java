package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Once warm, the bridge's threads allocate nothing per message, in either direction. */
class BridgeAllocationTest {

    private static long allocated(List<Thread> threads) {
        return io.github.twinlane.test.Threads.allocatedBytes(threads);
    }

    @Test
    void exportAndRemoteDeviceAllocateNothingPerMessage() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive("sim", 2000, Duration.ofMillis(20), Duration.ZERO));
            bridge.export(drive, Link.ipc(300), Schemas.motor(), ExportOptions.defaults().acceptCommands(true));
            AtomicLong received = new AtomicLong();
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.fast("far")
                            .commandPolicy(BackpressurePolicy.DROP_OLDEST).capacity(64).build(),
                    bridge.remote("far", Link.ipc(300), Schemas.motor(), RemoteOptions.defaults()),
                    (t, at) -> received.incrementAndGet());
            Await.until("connected", Duration.ofSeconds(20), () -> far.state() == ChannelState.OPEN, far::toString);
            MotorCommand cmd = new MotorCommand();
            var loop = rt.every(Duration.ofMillis(1), "commander", c -> {
                cmd.sequence = c;
                cmd.velocity = 0.5;
                cmd.sentNanos = System.nanoTime();
                far.send(cmd);
            });
            // the bridge's own threads: the export's I/O thread and the remote device's reader and writer
            List<Thread> bridgeThreads = rt.liveThreads().stream()
                    .filter(t -> t.getName().contains("drive-export") || t.getName().contains("-far-"))
                    .toList();
            assertTrue(bridgeThreads.size() >= 3, "export I/O, remote reader, dispatcher, writer: " + bridgeThreads);
            // long enough for the one-off warm-up allocations (JIT, method-handle customisation) to pass
            Await.until("warm", Duration.ofSeconds(30), () -> received.get() > 10_000, far::toString);
            long[] each = bridgeThreads.stream().mapToLong(t -> allocated(List.of(t))).toArray();
            long before = allocated(bridgeThreads);
            long messagesBefore = received.get() + far.stats().commandsWritten();
            Await.until("10,000 more", Duration.ofSeconds(30), () -> received.get() > 20_000, far::toString);
            long bytes = allocated(bridgeThreads) - before;
            StringBuilder perThread = new StringBuilder();
            for (int i = 0; i < each.length; i++) {
                perThread.append(bridgeThreads.get(i).getName()).append('=')
                        .append(allocated(List.of(bridgeThreads.get(i))) - each[i]).append(' ');
            }
            long messages = received.get() + far.stats().commandsWritten() - messagesBefore;
            loop.close();
            assertTrue(messages > 4_000, "messages: " + messages);
            assertTrue(bytes < 4096, "bridge threads (" + perThread + ") allocated " + bytes + " bytes over "
                    + messages + " messages; one allocation per message would be at least " + 16 * messages);
        }
    }
}
