package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.TwinlaneExtension;
import io.github.twinlane.video.PixelFormat;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The two schedulers are visible, configurable, and place each lane's duty cycles where their javadoc says. */
class SchedulersTest {

    private static Set<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.toSet());
    }

    @Test
    void shouldPlaceAFastChannelsThreeDutyCyclesAndALoopOnTheParallelScheduler() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            ParallelScheduler p = rt.parallelScheduler();
            assertEquals(Lane.FAST, p.lane());
            assertEquals(ParallelScheduler.Config.DEFAULT, p.config());
            assertEquals(List.of(), p.threads(), "no thread before the first channel");
            DeviceChannel<?, ?> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            rt.every(Duration.ofMillis(5), "control", c -> { });
            Await.until("open", () -> drive.state() == ChannelState.OPEN, drive::toString);
            // the three duty cycles, the drive's stop thread, the loop, and the supervisor that watches the drive
            assertEquals(Set.of("twinlane-fast-drive-reader", "twinlane-fast-drive-dispatch", "twinlane-fast-drive-writer",
                    "twinlane-fast-drive-stops", "twinlane-fast-control-loop", "twinlane-fast-runtime-supervisor"),
                    names(p.threads()));
            assertEquals(List.of(), rt.concurrentScheduler().threads(), "nothing of the fast lane on the slow one");
        }
        TwinlaneExtension.assertNoTwinlaneThreads();
    }

    @Test
    void shouldRunSlowChannelsOnTheConfiguredNumberOfLoopThreads() {
        ConcurrentScheduler.Config two = ConcurrentScheduler.Config.DEFAULT.withLoopThreads(2)
                .withIdlePark(Duration.ofMillis(5)).withStallThreshold(Duration.ofMillis(50));
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).concurrent(two).build()) {
            ConcurrentScheduler c = rt.concurrentScheduler();
            assertEquals(Lane.SLOW, c.lane());
            assertEquals(two, c.config());
            assertEquals(Duration.ofMillis(50), rt.stallThreshold());
            for (int i = 0; i < 3; i++) {
                rt.open(ChannelConfig.slow("cam" + i).build(),
                        new SimulatedCamera("c" + i, 32, 24, 50, PixelFormat.GRAY8, Duration.ZERO));
            }
            Await.until("both loop threads and three readers", () -> c.threads().size() == 5, () -> c.threads().toString());
            assertTrue(names(c.threads()).containsAll(Set.of("twinlane-slow-loop0-run", "twinlane-slow-loop1-run",
                    "twinlane-slow-cam0-reader")), names(c.threads()).toString());
            assertTrue(c.toString().contains("2 loop thread(s)"), c.toString());
        }
    }

    @Test
    void shouldRunAServiceOnTheSlowLaneAndStopItWithTheRuntime() throws Exception {
        TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
        java.util.concurrent.atomic.AtomicLong cycles = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch blocked = new java.util.concurrent.CountDownLatch(1);
        io.github.twinlane.cycle.DutyCycleRunner r = rt.concurrentScheduler().run("blackbox", "writer", () -> {
            if (cycles.incrementAndGet() == 3) {
                blocked.countDown();
                Thread.sleep(60_000); // a service blocked in its work: close must still end it
            }
            return 1;
        }, new io.github.twinlane.cycle.SleepingIdleStrategy(Duration.ofMillis(1)));
        assertTrue(blocked.await(10, java.util.concurrent.TimeUnit.SECONDS), "the service runs");
        assertEquals("twinlane-slow-blackbox-writer", r.thread().getName());
        assertTrue(rt.concurrentScheduler().threads().contains(r.thread()), "it is a slow-lane thread");
        rt.close();
        long hangBound = System.nanoTime() + 10_000_000_000L; // close already waited for it: this only catches a hang
        assertTrue(r.join(hangBound), "closing the runtime stopped it");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.concurrentScheduler().run("late",
                "x", () -> 0, new io.github.twinlane.cycle.SleepingIdleStrategy(Duration.ofMillis(1))));
        assertTrue(e.getMessage().startsWith("the runtime is closed"), e.getMessage());
    }

    @Test
    void shouldMakeALibrarysEventLoopThreadsAsSlowLaneThreads() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            java.util.concurrent.ThreadFactory f = rt.concurrentScheduler().threadFactory("viewer", "io");
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread t = f.newThread(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals("twinlane-slow-viewer-io-1", t.getName());
            assertEquals("twinlane-slow-viewer-io-2", f.newThread(() -> { }).getName());
            t.start(); // the library starts its own threads
            assertTrue(rt.liveThreads().contains(t), "listed with the runtime's threads");
            assertTrue(rt.concurrentScheduler().threads().contains(t), "on the slow lane");
            release.countDown();
            t.join(10_000);
        }
    }

    @Test
    void shouldTellAChannelsMessageTypes() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<io.github.twinlane.motor.MotorCommand, io.github.twinlane.motor.MotorTelemetry> drive =
                    rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
            assertTrue(drive.dataType().newInstance() instanceof io.github.twinlane.motor.MotorTelemetry);
            assertTrue(drive.commandType().newInstance() instanceof io.github.twinlane.motor.MotorCommand);
        }
    }

    @Test
    void shouldApplyTheShortcutsOverTheConcurrentConfig() {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF)
                .concurrent(ConcurrentScheduler.Config.DEFAULT.withLoopThreads(4)).slowLoopThreads(3).build()) {
            assertEquals(3, rt.concurrentScheduler().config().loopThreads());
            assertEquals(3, rt.slowLoopThreads());
        }
    }

    @Test
    void shouldRefuseSchedulerSettingsOutOfRangeNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConcurrentScheduler.Config.DEFAULT.withIdlePark(Duration.ofSeconds(1)));
        assertEquals("idlePark must be from 100 µs to 100 ms, was 1 s", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ParallelScheduler.Config(Duration.ofMillis(2), Duration.ofMillis(1)));
        assertEquals("readerMaxPark must be from readerMinPark (2 ms) to 1 s, was 1 ms", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TwinlaneRuntime.builder().concurrent(null).build());
        assertTrue(e.getMessage().startsWith("concurrent must be"), e.getMessage());
    }
}
