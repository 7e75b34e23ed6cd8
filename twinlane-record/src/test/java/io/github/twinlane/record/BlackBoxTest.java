package io.github.twinlane.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.PeriodicLoop;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapMetadata;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last seconds of a drive kept in memory, within their bounds, and written when its safety acts. */
class BlackBoxTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** What a dump holds. */
    static final class Dump implements McapVisitor {
        final List<Long> logTimes = new ArrayList<>();
        final List<Long> commandSequences = new ArrayList<>();
        long undecodable;
        McapMetadata about;

        @Override
        public void message(McapChannel c, McapMessage m) {
            logTimes.add(m.logTime());
            if (c.topic().endsWith("/commands")) {
                MotorCommand cmd = new MotorCommand();
                if (MotorCodecs.command().decode(m.data(), 0, m.data().length, cmd)) {
                    commandSequences.add(cmd.sequence);
                } else {
                    undecodable++;
                }
            } else if (!MotorCodecs.telemetry().decode(m.data(), 0, m.data().length, new MotorTelemetry())) {
                undecodable++;
            }
        }

        @Override
        public void metadata(McapMetadata m) {
            if (m.name().equals("twinlane.blackbox")) {
                about = m;
            }
        }
    }

    static Dump read(Path file) throws IOException {
        Dump d = new Dump();
        try (McapReader r = McapReader.open(file)) {
            assertTrue(r.read(d).complete());
        }
        return d;
    }

    @Test
    void shouldWriteTheLastSecondsWhenAnEmergencyStopLatchesAndWhenTheWatchdogTrips() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
            BlackBox box = BlackBox.start(rt, BlackBoxConfig.into(dir).withWindow(Duration.ofMillis(500)));
            box.data(drive, MotorCodecs.telemetry()).commands(drive, MotorCodecs.command());
            MotorCommand cmd = new MotorCommand();
            PeriodicLoop loop = rt.every(Duration.ofMillis(2), "control", k -> {
                cmd.sequence = k;
                cmd.velocity = 1;
                drive.send(cmd);
            });
            Await.until("commands are kept", WAIT, () -> box.kept() > 400, box::stats);
            assertTrue(drive.emergencyStop(new MotorCommand()));
            Await.until("the emergency stop's dump is written", WAIT, () -> box.files().size() == 1, box::stats);
            Path first = box.files().get(0);
            assertTrue(first.getFileName().toString().contains("drive-emergency-stop"), first.toString());
            Dump d = read(first);
            assertEquals(0, d.undecodable);
            assertEquals("drive emergency-stop", d.about.metadata().get("reason"));
            assertFalse(d.commandSequences.isEmpty(), "the commands before the stop are in it");
            // the eviction invariant on the stamps the black box itself gave its values (not a measured duration):
            // nothing kept is older than the window before the newest
            long span = d.logTimes.get(d.logTimes.size() - 1) - d.logTimes.get(0);
            long window = Duration.ofMillis(500).toNanos();
            assertTrue(span <= window, "no value older than the window: " + span + " ns");
            loop.close();
            drive.releaseEmergencyStop();
            drive.watchdog(Duration.ofMillis(20), c -> c.velocity = 0);
            drive.send(cmd);
            Await.until("the watchdog trip's dump is written", WAIT, () -> box.files().size() == 2, box::stats);
            assertTrue(box.files().get(1).getFileName().toString().contains("drive-watchdog-tripped"));
            assertEquals(0, read(box.files().get(1)).undecodable);
        }
    }

    @Test
    void shouldKeepNoMoreBytesThanItsBoundAndDumpOnRequest() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            BlackBox box = BlackBox.start(rt, BlackBoxConfig.into(dir).withWindow(Duration.ofHours(1))
                    .withMaxBytes(64 << 10));
            box.data(drive, MotorCodecs.telemetry());
            Await.until("the byte bound is reached", WAIT, () -> box.evicted() > 0, box::stats);
            assertTrue(box.keptBytes() <= 64 << 10, box.stats());
            box.dump("operator");
            Await.until("the requested dump is written", WAIT, () -> box.files().size() == 1, box::stats);
            Dump d = read(box.files().get(0));
            assertEquals("operator", d.about.metadata().get("reason"));
            assertTrue(d.logTimes.size() > 100, "the window's values: " + d.logTimes.size());
        }
    }

    @Test
    void shouldMergeATriggerFloodIntoBoundedReasonsAndAccountForEveryRequest() throws Exception {
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            BlackBox box = BlackBox.start(rt, BlackBoxConfig.into(dir).withMaxBytes(64 << 10));
            box.data(drive, MotorCodecs.telemetry());
            int requests = 10_000;
            for (int i = 0; i < requests; i++) {
                box.dump("r" + i); // a trigger in a loop, each with its own reason
            }
            java.util.function.LongSupplier accounted = () -> {
                long n = 0;
                for (Path f : box.files()) {
                    String reason;
                    try {
                        reason = read(f).about.metadata().get("reason");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    java.util.regex.Matcher more = java.util.regex.Pattern.compile(" and (\\d+) more$").matcher(reason);
                    String named = reason;
                    if (more.find()) {
                        n += Long.parseLong(more.group(1));
                        named = reason.substring(0, more.start());
                    }
                    String[] names = named.split(", ");
                    assertTrue(names.length <= BlackBox.MAX_REASONS, "at most " + BlackBox.MAX_REASONS + " named: " + reason);
                    n += names.length;
                }
                return n;
            };
            Await.until("every request is in a written dump", WAIT, () -> accounted.getAsLong() >= requests, box::stats);
            assertEquals(requests, accounted.getAsLong(), "each request named or counted once");
            assertTrue(box.files().size() < requests, "merged: " + box.files().size() + " files");
        }
    }

    @Test
    void shouldRefuseBadConfigurationsNamingTheField() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> BlackBoxConfig.into(dir).withWindow(Duration.ofMillis(10))).getMessage();
        assertEquals("window must be from 100 ms to 1 h, was 10 ms", m);
        m = assertThrows(IllegalArgumentException.class, () -> BlackBoxConfig.into(dir).withMaxBytes(100)).getMessage();
        assertEquals("maxBytes must be from 64 KiB to 2 GiB, was 100", m);
    }
}
