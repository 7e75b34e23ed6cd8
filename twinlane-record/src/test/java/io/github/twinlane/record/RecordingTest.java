package io.github.twinlane.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapMetadata;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapScan;
import io.github.twinlane.record.mcap.McapSummary;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.NodePeer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels recorded through their taps into MCAP files that read back exactly and open in the format's own tools. */
class RecordingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Everything a read of one file found. */
    static final class Found implements McapVisitor {
        final List<MotorTelemetry> telemetry = new ArrayList<>();
        final List<MotorCommand> commands = new ArrayList<>();
        final List<McapMetadata> metadata = new ArrayList<>();
        final List<McapChannel> channels = new ArrayList<>();
        long undecodable;
        long publishNotAfterLog = 0;
        long messages;

        @Override
        public void channel(McapChannel c) {
            channels.add(c);
        }

        @Override
        public void message(McapChannel c, McapMessage m) {
            messages++;
            if (Long.compareUnsigned(m.publishTime(), m.logTime()) <= 0) {
                publishNotAfterLog++;
            }
            if (c.topic().endsWith("/data")) {
                MotorTelemetry t = new MotorTelemetry();
                if (MotorCodecs.telemetry().decode(m.data(), 0, m.data().length, t)) {
                    telemetry.add(t);
                } else {
                    undecodable++;
                }
            } else {
                MotorCommand cmd = new MotorCommand();
                if (MotorCodecs.command().decode(m.data(), 0, m.data().length, cmd)) {
                    commands.add(cmd);
                } else {
                    undecodable++;
                }
            }
        }

        @Override
        public void metadata(McapMetadata m) {
            metadata.add(m);
        }
    }

    static Found read(Path file) throws IOException {
        Found f = new Found();
        try (McapReader r = McapReader.open(file)) {
            McapScan scan = r.read(f);
            assertTrue(scan.complete(), file + " is complete");
            McapSummary s = r.summary().orElseThrow();
            assertEquals(f.messages, s.statistics().messageCount());
        }
        return f;
    }

    @Test
    void shouldRecordADrivesTelemetryAndCommandsExactlyAsTheyPassed() throws Exception {
        Path file = dir.resolve("drive.mcap");
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
            RecordingStats stats;
            Recording rec = Recording.start(rt, RecordingConfig.to(file).withRobot("test-bot").withChunkBytes(4096));
            {
                rec.data(drive, MotorCodecs.telemetry()).commands(drive, MotorCodecs.command());
                MotorCommand c = new MotorCommand();
                for (int i = 1; i <= 200; i++) {
                    c.sequence = i;
                    c.velocity = i / 100.0;
                    c.sentNanos = System.nanoTime();
                    drive.send(c);
                    if (i % 20 == 0) {
                        Thread.sleep(5);
                    }
                }
                Await.until("the commands and some telemetry are written", WAIT,
                        () -> rec.stats().streams().get(1).written() + rec.stats().streams().get(1).dropped()
                                >= drive.stats().commandsWritten() && drive.stats().commandsWritten() > 0
                                && rec.stats().streams().get(0).written() > 50, rec::toString);
                Thread.sleep(50);
                rec.close();
                stats = rec.stats();
            }
            for (RecordingStats.Stream s : stats.streams()) {
                assertEquals(s.offered(), s.written() + s.dropped() + s.failed(), "every value accounted for: " + s);
                assertEquals(0, s.failed(), s.toString());
            }
            Found f = read(file);
            assertEquals(0, f.undecodable, "every message decodes with its codec");
            assertEquals(f.messages, f.publishNotAfterLog, "published (received or sent) before it was logged");
            assertEquals(stats.streams().get(0).written(), f.telemetry.size());
            assertEquals(stats.streams().get(1).written(), f.commands.size());
            for (int i = 1; i < f.telemetry.size(); i++) {
                assertTrue(f.telemetry.get(i).sequence > f.telemetry.get(i - 1).sequence, "telemetry in order");
            }
            for (int i = 1; i < f.commands.size(); i++) {
                assertTrue(f.commands.get(i).sequence > f.commands.get(i - 1).sequence, "commands in order");
            }
            if (stats.streams().get(1).dropped() == 0) {
                assertEquals(drive.stats().commandsWritten(), f.commands.size(), "every command written to the drive");
            }
            assertEquals(List.of("/drive/data", "/drive/commands"), f.channels.stream().map(McapChannel::topic).toList());
            Map<String, String> about = f.metadata.stream().filter(m -> m.name().equals("twinlane")).findFirst()
                    .orElseThrow().metadata();
            assertEquals("test-bot", about.get("robot"));
            Map<String, String> drops = f.metadata.stream().filter(m -> m.name().equals("twinlane.drops")).findFirst()
                    .orElseThrow().metadata();
            assertTrue(drops.get("/drive/data").startsWith("offered "), drops.toString());
        }
        // the format's own library reads the recording: same number of messages on the same topics
        NodePeer peer = NodePeer.prepare(Path.of("src", "test", "node"));
        List<String> lines = peer.run(Duration.ofSeconds(120), "mcap-read.mjs", file.toString(), "indexed");
        Found f = read(file);
        assertEquals(f.messages, lines.stream().filter(l -> l.startsWith("message\t")).count());
    }

    @Test
    void shouldRecordStateChangesAndSafetyEventsAsEvents() throws Exception {
        Path file = dir.resolve("events.mcap");
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
            Recording rec = Recording.start(rt, RecordingConfig.to(file)).events(drive);
            assertTrue(drive.emergencyStop(new MotorCommand()));
            drive.releaseEmergencyStop();
            drive.close();
            rec.close();
            RecordingStats.Stream ev = rec.stats().streams().get(0);
            assertEquals("/twinlane/events", ev.topic());
            assertEquals(ev.offered(), ev.written(), ev.toString());
            List<String> events = new ArrayList<>();
            try (McapReader r = McapReader.open(file)) {
                r.read(new McapVisitor() {
                    @Override
                    public void message(McapChannel c, McapMessage m) {
                        ChannelEvent e = new ChannelEvent();
                        assertTrue(EventCodec.INSTANCE.decode(m.data(), 0, m.data().length, e));
                        events.add(e.kind + (e.from.isEmpty() ? "" : " " + e.from + "->" + e.to));
                    }
                });
            }
            assertEquals("EMERGENCY_STOP", events.get(0), events.toString());
            assertEquals("EMERGENCY_STOP_RELEASED", events.get(1), events.toString());
            assertTrue(events.stream().anyMatch(e -> e.startsWith("state ") && e.endsWith("->CLOSED")),
                    "closing the channel is an event: " + events);
        }
    }

    @Test
    void shouldSplitALongRecordingIntoCompleteFiles() throws Exception {
        Path file = dir.resolve("long.mcap");
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            Await.until("open", WAIT, () -> drive.state() == ChannelState.OPEN);
            Recording rec = Recording.start(rt, RecordingConfig.to(file).withSplit(0, Duration.ofSeconds(1)));
            rec.data(drive, MotorCodecs.telemetry());
            Await.until("a third file is started", WAIT, () -> rec.files().size() >= 3, rec::toString);
            rec.close();
            RecordingStats st = rec.stats();
            long total = 0;
            long lastSequence = -1;
            for (Path p : st.files()) {
                Found f = read(p);
                assertFalse(f.telemetry.isEmpty(), p + " holds telemetry");
                assertTrue(f.telemetry.get(0).sequence > lastSequence, "files continue one another");
                lastSequence = f.telemetry.get(f.telemetry.size() - 1).sequence;
                total += f.telemetry.size();
            }
            assertEquals(st.written(), total, "every value written is in exactly one file");
            assertEquals(dir.resolve("long-001.mcap"), st.files().get(1));
        }
    }

    @Test
    void shouldRefuseBadConfigurationsNamingTheField() {
        Path f = dir.resolve("x.mcap");
        String m = assertThrows(IllegalArgumentException.class, () -> RecordingConfig.to(dir.resolve("x.bag"))).getMessage();
        assertTrue(m.startsWith("file must end in .mcap"), m);
        m = assertThrows(IllegalArgumentException.class, () -> RecordingConfig.to(f).withBacklog(1000)).getMessage();
        assertEquals("backlog must be a power of two from 2 to 65536, was 1000", m);
        m = assertThrows(IllegalArgumentException.class, () -> RecordingConfig.to(f).withSplit(1000, Duration.ZERO)).getMessage();
        assertEquals("splitBytes must be 0 (never) or at least 1 MiB, was 1000", m);
        m = assertThrows(IllegalArgumentException.class,
                () -> RecordingConfig.to(f).withSplit(0, Duration.ofMillis(10))).getMessage();
        assertEquals("splitAfter must be zero (never) or at least 1 s, was 10 ms", m);
    }

    @Test
    void aMotorCodecReadsBackWhatItWroteAndRefusesAnythingElse() throws IOException {
        MotorTelemetry t = new MotorTelemetry();
        t.sequence = 7;
        t.velocity = -1.25;
        t.position = 3e-9;
        t.setpoint = 2;
        t.lastCommandSequence = 6;
        t.lastCommandSentNanos = Long.MAX_VALUE;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        MotorCodecs.telemetry().encode(t, out);
        byte[] b = out.toByteArray();
        MotorTelemetry back = new MotorTelemetry();
        assertTrue(MotorCodecs.telemetry().decode(b, 0, b.length, back), new String(b));
        assertEquals(7, back.sequence);
        assertEquals(-1.25, back.velocity);
        assertEquals(3e-9, back.position);
        assertEquals(Long.MAX_VALUE, back.lastCommandSentNanos);
        for (String bad : List.of("", "{}", "[1]", "{\"sequence\":1}", new String(b) + "x", "{\"sequence\":\"a\"}")) {
            byte[] x = bad.getBytes();
            assertFalse(MotorCodecs.telemetry().decode(x, 0, x.length, new MotorTelemetry()), bad);
        }
    }
}
