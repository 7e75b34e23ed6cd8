package io.github.twinlane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The motor watchdog, the emergency stop and the stale-input interlock. */
class SafetyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads());
    }

    @Test
    void shouldSendTheSafeCommandWhenTheLoopStopsFeedingAndRearmWhenItResumes() {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        drive.watchdog(Duration.ofMillis(30), c -> {
            c.velocity = 0;
            c.sequence = -1;
        });
        AtomicBoolean feeding = new AtomicBoolean(true);
        MotorCommand cmd = new MotorCommand();
        cmd.velocity = 10;
        PeriodicLoop loop = rt.every(Duration.ofMillis(1), "control", k -> {
            if (feeding.get()) {
                cmd.sequence = k;
                drive.send(cmd);
            }
        });
        MotorTelemetry t = new MotorTelemetry();
        Await.until("the motor follows the loop", WAIT, () -> drive.latest(t) && t.setpoint == 10);
        assertEquals(0, drive.stats().safeStops(), "no trip while the loop feeds the watchdog");
        feeding.set(false); // the loop stalls
        Await.until("the watchdog stops the motor", WAIT, () -> drive.latest(t) && t.setpoint == 0 && t.lastCommandSequence == -1);
        assertEquals(1, drive.stats().safeStops());
        feeding.set(true);
        Await.until("the loop drives again", WAIT, () -> drive.latest(t) && t.setpoint == 10);
        feeding.set(false);
        Await.until("a second trip", WAIT, () -> drive.stats().safeStops() == 2);
        loop.close();
    }

    @Test
    void shouldWriteTheSafeCommandWhenTheChannelCloses() {
        RecordingDriver d = new RecordingDriver();
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("motor").build(), d);
        Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN);
        ch.watchdog(Duration.ofSeconds(30), c -> c.value = -1);
        ch.send(new LongBox(5));
        Await.until("written", WAIT, () -> d.written.contains(5L));
        ch.close();
        assertEquals(-1L, d.written.get(d.written.size() - 1), "the last thing the motor heard: " + d.written);
        assertEquals(1, ch.stats().safeStops());
    }

    @Test
    void shouldStopTheMotorAtJvmShutdownWithoutClose() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ShutdownProbe.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("EXITING"), out);
        String after = out.substring(out.indexOf("EXITING"));
        assertTrue(after.contains("WRITE -1"), "the shutdown hook wrote the safe command:\n" + out);
    }

    @Test
    void shouldPassAFullRingAndABlockedProducerWithAnEmergencyStop() throws Exception {
        RecordingDriver d = new RecordingDriver();
        d.writeNanos = 20_000_000; // a slow device: 20 ms a write
        DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("motor").capacity(4)
                .commandPolicy(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(5)).build(), d);
        Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN);
        List<SendResult> producer = new CopyOnWriteArrayList<>();
        Thread sender = new Thread(() -> {
            for (long i = 1; i <= 20; i++) {
                producer.add(ch.send(new LongBox(i))); // parks once the ring is full
            }
        }, "app-sender");
        sender.start();
        Await.until("the ring is full and the producer waits", WAIT,
                () -> sender.getState() == Thread.State.TIMED_WAITING && d.inWrite && producer.size() >= 4);
        int before = d.written.size();
        assertTrue(ch.emergencyStop(new LongBox(-99)));
        // the stop was written right after the write in progress, ahead of everything queued
        List<Long> w = d.written;
        assertEquals(-99L, w.get(before + (w.get(before) == -99L ? 0 : 1)), "written: " + w);
        sender.join(10_000);
        Thread.sleep(100);
        assertFalse(d.written.subList(d.written.indexOf(-99L) + 1, d.written.size()).stream().anyMatch(v -> v > 0),
                "no queued command reached the motor after the stop: " + d.written);
        assertEquals(SendResult.REJECTED_EMERGENCY_STOP, ch.send(new LongBox(100)));
        ChannelStats s = ch.stats();
        assertEquals(1, s.emergencyStops());
        assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
        ch.releaseEmergencyStop();
        d.writeNanos = 0;
        assertEquals(SendResult.ACCEPTED, ch.send(new LongBox(101)));
        Await.until("commands flow after release", WAIT, () -> d.written.contains(101L));
    }

    @Test
    void shouldNeverWriteACommandAfterTheEmergencyStopWhileTheWriterIsMidBatch() throws Exception {
        // the writer keeps the device's lock across a batch; a stop racing it must still be the last write
        for (int round = 0; round < 20; round++) {
            RecordingDriver d = new RecordingDriver();
            DeviceChannel<LongBox, LongBox> ch = rt.open(ChannelConfig.fast("motor-" + round).capacity(64)
                    .commandPolicy(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(5)).build(), d);
            Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN);
            AtomicBoolean stop = new AtomicBoolean();
            Thread sender = new Thread(() -> {
                for (long i = 1; !stop.get() && i < 10_000_000; i++) {
                    ch.send(new LongBox(i));
                }
            }, "app-sender");
            sender.start();
            int after = 50 + round * 37;
            Await.until("commands are being written", WAIT, () -> d.written.size() >= after);
            assertTrue(ch.emergencyStop(new LongBox(-99)));
            stop.set(true);
            sender.join(10_000);
            ch.close();
            List<Long> w = d.written;
            int at = w.indexOf(-99L);
            assertTrue(at >= 0, "the stop was written");
            assertFalse(w.subList(at + 1, w.size()).stream().anyMatch(v -> v > 0),
                    "round " + round + ": a command was written after the stop: " + w.subList(at, Math.min(w.size(), at + 10)));
            ChannelStats s = ch.stats();
            assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
        }
    }

    @Test
    void shouldTellSafetyListenersOfEveryStopReleaseAndTripOnTheThreadThatActed() {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), new SimulatedMotorDrive());
        Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
        List<String> events = new CopyOnWriteArrayList<>();
        Subscription sub = drive.onSafetyEvent((ch, e, detail) -> events.add(ch + " " + e + " on "
                + (Thread.currentThread().getName().contains("supervisor") ? "supervisor" : Thread.currentThread().getName())
                + ": " + detail));
        drive.onSafetyEvent((ch, e, detail) -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        MotorCommand stop = new MotorCommand();
        assertTrue(drive.emergencyStop(stop));
        drive.releaseEmergencyStop();
        drive.watchdog(Duration.ofMillis(20), c -> c.velocity = 0);
        drive.send(new MotorCommand()); // feeds once, then nothing: the watchdog trips
        Await.until("the watchdog trips", WAIT, () -> events.size() >= 3, events::toString);
        String me = Thread.currentThread().getName();
        // stops are written by the channel's stop thread, which tells of them before emergencyStop returns
        assertTrue(events.get(0).startsWith("drive EMERGENCY_STOP on twinlane-fast-drive-stops: latched; the stop command "
                + "was written to "), events.get(0));
        assertEquals("drive EMERGENCY_STOP_RELEASED on " + me + ": released; commands are accepted again", events.get(1));
        assertEquals("drive WATCHDOG_TRIPPED on twinlane-fast-drive-stops: no command for longer than the feed timeout; "
                + "the safe command was written", events.get(2));
        sub.close();
        drive.emergencyStop(stop);
        assertEquals(3, events.size(), "a removed listener hears nothing more");
    }

    @Test
    void shouldReportInputsThatGoStaleAndRecover() {
        SimulatedMotorDrive sim = new SimulatedMotorDrive();
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive")
                .maxDataAge(Duration.ofMillis(20)).build(), sim);
        List<Boolean> events = new CopyOnWriteArrayList<>();
        drive.onFreshness((name, fresh, age) -> events.add(fresh));
        Await.until("fresh data", WAIT, drive::fresh);
        sim.faults().hang();
        Await.until("stale", WAIT, () -> !drive.fresh() && events.contains(false));
        sim.faults().release();
        Await.until("fresh again", WAIT, () -> drive.fresh() && events.get(events.size() - 1));
        assertEquals(false, events.get(events.indexOf(false)));
    }
}
