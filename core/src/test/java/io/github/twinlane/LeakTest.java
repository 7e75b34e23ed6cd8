package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import io.github.twinlane.video.PixelFormat;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 1,000 open/send/close cycles leave no thread of a closed channel alive and no closed channel
 * reachable: weak references to every closed channel's driver clear once the JVM collects. These are
 * outcomes, not heap or thread-count figures, so a busy machine cannot fail them.
 */
class LeakTest {

    @Test
    void shouldReleaseEveryClosedChannelsThreadsAndDriverOver1000OpenSendCloseCycles() throws Exception {
        List<WeakReference<Object>> drivers = new ArrayList<>();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            MotorCommand cmd = new MotorCommand();
            for (int i = 0; i < 1000; i++) {
                drivers.add(new WeakReference<>(cycle(rt, cmd, i)));
            }
            assertTrue(rt.liveThreads().stream().allMatch(t -> t.getName().contains("slow-loop")
                            || t.getName().equals("twinlane-fast-runtime-supervisor")),
                    "only the shared slow-lane loop thread and the runtime's supervisor remain: " + rt.liveThreads());
            // the runtime keeps closed channels' final statistics, not the channels; the last one stays listed
            // until another opens
            List<WeakReference<Object>> older = drivers.subList(0, 999);
            Await.until("every closed channel's driver but the most recent is collected", () -> {
                System.gc();
                return older.stream().allMatch(r -> r.get() == null);
            }, () -> older.stream().filter(r -> r.get() != null).count() + " of the first 999 drivers still reachable");
        }
        assertEquals(List.of(), Threads.twinlane());
    }

    private static Object cycle(TwinlaneRuntime rt, MotorCommand cmd, int i) {
        SimulatedMotorDrive driveDriver = i % 2 == 0 ? new SimulatedMotorDrive() : null;
        SimulatedCamera camDriver = i % 2 == 1
                ? new SimulatedCamera("c", 32, 24, 100, PixelFormat.GRAY8, Duration.ZERO) : null;
        DeviceChannel<MotorCommand, ?> d = driveDriver != null
                ? rt.open(ChannelConfig.fast("leak").build(), driveDriver)
                : null;
        DeviceChannel<NoCommand, ?> c = camDriver != null
                ? rt.open(ChannelConfig.slow("leak").build(), camDriver)
                : null;
        if (d != null) {
            Await.until("the drive is open", () -> d.state() == ChannelState.OPEN, d::toString);
            d.send(cmd);
            d.close();
        } else {
            c.close();
        }
        return driveDriver != null ? driveDriver : camDriver;
    }
}
