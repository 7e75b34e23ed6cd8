package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void shouldRunAPeriodicLoopAndKeepItsScheduleWhenTheTaskThrows() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            AtomicLong runs = new AtomicLong();
            PeriodicLoop loop = rt.every(Duration.ofMillis(1), "control", cycle -> {
                runs.incrementAndGet();
                if (cycle % 10 == 0) {
                    throw new IllegalStateException("bad cycle");
                }
            });
            Await.until("100 cycles", WAIT, () -> runs.get() >= 100);
            LoopStats s = loop.stats();
            assertTrue(s.errors() >= 10);
            assertTrue(s.lateness().count() >= 100);
            assertEquals("control", s.name());
            loop.close();
            long after = runs.get();
            assertEquals(after, loop.stats().cycles());
        }
    }

    @Test
    void shouldUseTheUsersThreadFactoryAndNameEveryThreadAfterLaneAndDevice() {
        AtomicInteger made = new AtomicInteger();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().threadFactory(r -> {
            made.incrementAndGet();
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }).build()) {
            rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            rt.open(ChannelConfig.slow("cam").build(), new SimulatedCamera());
            rt.every(Duration.ofMillis(5), "ctl", c -> { });
            List<String> names = rt.liveThreads().stream().map(Thread::getName).sorted().toList();
            // the drive's stop thread writes its stops; the supervisor watches every channel that takes commands
            assertEquals(List.of("twinlane-fast-ctl-loop", "twinlane-fast-drive-dispatch",
                    "twinlane-fast-drive-reader", "twinlane-fast-drive-stops", "twinlane-fast-drive-writer",
                    "twinlane-fast-runtime-supervisor", "twinlane-slow-cam-reader", "twinlane-slow-loop0-run"), names);
            assertEquals(8, made.get());
        }
    }

    @Test
    void shouldLeaveNoThreadAfterCloseUnderLoad() {
        TwinlaneRuntime rt = TwinlaneRuntime.builder().slowLoopThreads(2).build();
        SimulatedMotorDrive d = new SimulatedMotorDrive();
        DeviceChannel<io.github.twinlane.motor.MotorCommand, io.github.twinlane.motor.MotorTelemetry> drive =
                rt.open(ChannelConfig.fast("drive").build(), d);
        for (int i = 0; i < 4; i++) {
            rt.open(ChannelConfig.slow("cam" + i).build(), new SimulatedCamera());
        }
        io.github.twinlane.motor.MotorCommand cmd = new io.github.twinlane.motor.MotorCommand();
        rt.every(Duration.ofMillis(1), "control", c -> drive.send(cmd));
        Await.until("commands flow", WAIT, () -> drive.stats().commandsWritten() > 50);
        rt.close();
        assertEquals(List.of(), rt.liveThreads());
        assertEquals(List.of(), Threads.twinlane());
        ChannelStats s = drive.stats();
        assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
        assertEquals(s.dataReceived(), s.dataDelivered() + s.dataDropped(), s.toString());
        assertThrows(IllegalStateException.class, () -> rt.open(ChannelConfig.fast("late").build(), d));
    }

    @Test
    void shouldRefuseTwoOpenChannelsWithOneName() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive()));
            assertTrue(e.getMessage().contains("'drive'"));
        }
    }

    @Test
    void shouldSummariseLoopsAndChannelsInATable() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            rt.every(Duration.ofMillis(1), "control", c -> { });
            Await.until("data", WAIT, () -> drive.stats().dataDelivered() > 10);
            String summary = rt.summary();
            assertTrue(summary.contains("LOOP"), summary);
            assertTrue(summary.contains("control"), summary);
            assertTrue(summary.contains("drive"), summary);
            assertTrue(summary.contains("OPEN"), summary);
        }
    }

    @Test
    void resourcesTiedToTheRuntimeCloseAfterItsChannelsNewestFirstEvenIfOneThrows() {
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
        rt.closeWith(() -> order.add("first, drive " + drive.state()));
        rt.closeWith(() -> {
            order.add("second");
            throw new IllegalStateException("a failing close is logged, not thrown");
        });
        rt.close();
        assertEquals(List.of("second", "first, drive CLOSED"), order);
        assertThrows(IllegalStateException.class, () -> rt.closeWith(() -> { }));
        rt.close();
        assertEquals(2, order.size(), "closed once");
    }
}
