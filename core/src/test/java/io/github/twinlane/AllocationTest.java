package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Threads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fast lane allocates nothing per message once warm: read from the JVM's per-thread counters. */
class AllocationTest {

    private static long allocated(List<Thread> threads) {
        return Threads.allocatedBytes(threads);
    }

    @ParameterizedTest
    @EnumSource(Placement.class)
    void shouldAllocateNothingPerMessageOnTheFastLaneInSteadyState(Placement where) {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            AtomicLong handled = new AtomicLong();
            boolean inLoop = where == Placement.IN_LOOP;
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").placement(where)
                            .maxDataAge(Duration.ofMillis(20)).build(), // the supervisor checks every 5 ms
                    new SimulatedMotorDrive("sim", 5000, Duration.ofMillis(50), Duration.ZERO, !inLoop),
                    (t, at) -> handled.incrementAndGet());
            MotorCommand cmd = new MotorCommand();
            MotorTelemetry now = new MotorTelemetry();
            LoopTask control = c -> {
                drive.latest(now);
                cmd.sequence = c;
                cmd.velocity = now.velocity + 1;
                drive.send(cmd);
            };
            LoopConfig every = LoopConfig.of("control", Duration.ofMillis(1));
            PeriodicLoop loop = inLoop ? rt.every(every, control, drive) : rt.every(every, control);
            Await.until("open", Duration.ofSeconds(10), () -> drive.state() == ChannelState.OPEN);
            drive.watchdog(Duration.ofSeconds(5), c -> c.velocity = 0);
            // a stall of the loop past maxDataAge (a loaded machine) makes the supervisor log "stale" and
            // "fresh again": a log line allocates, a check does not. Such transitions are counted and allowed for
            AtomicLong transitions = new AtomicLong();
            drive.onFreshness((n, fresh, age) -> transitions.incrementAndGet());
            List<Thread> lane = rt.liveThreads();
            assertEquals(inLoop ? 3 : 6, lane.size(), (inLoop ? "loop, stop thread and supervisor: "
                    : "reader, dispatcher, writer, stop thread, loop and supervisor: ") + lane);
            Await.until("warm", Await.HANG, () -> handled.get() > 10_000);
            long before = allocated(lane);
            long transitionsBefore = transitions.get();
            java.util.Map<String, Long> each = new java.util.TreeMap<>();
            for (Thread t : lane) {
                each.put(t.getName(), allocated(List.of(t)));
            }
            long messagesBefore = handled.get() + drive.stats().commandsWritten();
            Await.until("5,000 more values", Await.HANG, () -> handled.get() > 15_000);
            long bytes = allocated(lane) - before;
            for (Thread t : lane) {
                each.put(t.getName(), allocated(List.of(t)) - each.get(t.getName()));
            }
            long messages = handled.get() + drive.stats().commandsWritten() - messagesBefore;
            assertTrue(messages > 5_000, "messages: " + messages);
            long logged = transitions.get() - transitionsBefore;
            assertTrue(bytes < 2048 + logged * 8192, "fast-lane threads (supervisor included) allocated " + bytes
                    + " bytes over " + messages + " messages and " + logged + " stale/fresh transitions (each logged)"
                    + " messages; a per-message allocation would be at least " + 16 * messages + "; per thread: " + each);
            loop.close();
        }
    }
}
