package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.MotorCommand;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.video.PixelFormat;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 1,000 open/send/close cycles leave the thread count and the heap where they were. */
class LeakTest {

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void shouldLeaveThreadsAndHeapAtBaselineAfter1000OpenSendCloseCycles() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            MotorCommand cmd = new MotorCommand();
            for (int i = 0; i < 20; i++) { // warm up
                cycle(rt, cmd, i);
            }
            int threads = Thread.activeCount();
            long heap = heapAfterGc();
            for (int i = 0; i < 1000; i++) {
                cycle(rt, cmd, i);
            }
            long grown = heapAfterGc() - heap;
            assertEquals(threads, Thread.activeCount(), "thread count back to baseline");
            assertTrue(rt.liveThreads().stream().allMatch(t -> t.getName().contains("slow-loop")),
                    "only the shared slow-lane loop thread remains: " + rt.liveThreads());
            assertTrue(grown < 16L << 20, "heap grew by " + grown / 1024 + " KB over 1,000 cycles");
            assertTrue(rt.channelStats().size() <= 2, "closed channels are forgotten: " + rt.channelStats().size());
        }
        assertEquals(List.of(), Await.twinlaneThreads());
    }

    private static void cycle(TwinlaneRuntime rt, MotorCommand cmd, int i) {
        DeviceChannel<MotorCommand, ?> d = i % 2 == 0
                ? rt.open(ChannelConfig.fast("leak").build(), new SimulatedMotorDrive())
                : null;
        DeviceChannel<NoCommand, ?> c = i % 2 == 1
                ? rt.open(ChannelConfig.slow("leak").build(), new SimulatedCamera("c", 32, 24, 100, PixelFormat.GRAY8,
                        Duration.ZERO))
                : null;
        if (d != null) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (d.state() != ChannelState.OPEN && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            d.send(cmd);
            d.close();
        } else {
            c.close();
        }
    }
}
