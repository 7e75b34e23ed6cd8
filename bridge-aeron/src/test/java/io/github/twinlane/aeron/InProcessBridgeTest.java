package io.github.twinlane.aeron;

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
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One process, one bridge: export and import over IPC, so the bridge's behaviour is checked without a second JVM. */
class InProcessBridgeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static TwinlaneRuntime runtime() {
        return TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
    }

    @Test
    void commandsAndTelemetryRoundTripOverIpc() {
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive("sim", 500, Duration.ofMillis(20), Duration.ZERO));
            Export export = bridge.export(drive, Link.ipc(100), Schemas.motor(),
                    ExportOptions.defaults().acceptCommands(true));
            RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", Link.ipc(100),
                    Schemas.motor(), RemoteOptions.defaults());
            AtomicLong lastAck = new AtomicLong(-1);
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.slow("far").build(), remote,
                    (t, n) -> lastAck.set(t.lastCommandSequence));
            Await.until("the remote channel connects", WAIT, () -> far.state() == ChannelState.OPEN, far::toString);
            MotorCommand cmd = new MotorCommand();
            for (int i = 1; i <= 20; i++) {
                cmd.sequence = i;
                cmd.velocity = i / 10.0;
                cmd.sentNanos = System.nanoTime();
                far.send(cmd);
            }
            Await.until("the drive acknowledges command 20 over the bridge", WAIT, () -> lastAck.get() == 20,
                    () -> export + " / " + remote.stats() + " / " + far.stats());
            // every command is accounted for: the importer's own policy may conflate, nothing else loses one
            var fs = far.stats();
            assertEquals(20, fs.commandsSent(), fs::toString);
            assertEquals(20, fs.commandsWritten() + fs.commandsDropped(), fs::toString);
            ExportStats s = export.stats();
            assertEquals(fs.commandsWritten(), remote.stats().commandsSent(), remote.stats()::toString);
            assertEquals(remote.stats().commandsSent(), s.commandsForwarded(), s::toString);
            assertEquals(0, s.commandsRefused(), s::toString);
            MotorTelemetry t = new MotorTelemetry();
            assertTrue(far.latest(t));
            assertEquals(2.0, t.setpoint, 1e-12, "the drive's setpoint is the last velocity sent");
            bridge.close();
        }
    }

    @Test
    void anExportWhosePublicationFailsReopensAndKeepsEveryValueAccounted() {
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive("sim", 500, Duration.ofMillis(20), Duration.ZERO));
            Export export = bridge.export(drive, Link.ipc(102), Schemas.motor(), ExportOptions.defaults());
            RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", Link.ipc(102),
                    Schemas.motor(), RemoteOptions.defaults());
            AtomicLong received = new AtomicLong();
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.slow("far").build(), remote,
                    (t, n) -> received.incrementAndGet());
            Await.until("telemetry crosses the bridge", WAIT, () -> received.get() > 10, () -> export + " / " + far);
            // the tap thread publishes; when the publication closes under it, the export's own thread reopens
            export.driver().breakPublication();
            Await.until("the publish that found it closed is counted as failed", WAIT,
                    () -> export.stats().failed() + export.stats().queueDropped() > 0, export::toString);
            long before = received.get();
            Await.until("the export reopens and telemetry flows again", WAIT,
                    () -> export.stats().state() == ChannelState.OPEN && received.get() > before + 10,
                    () -> export + " / " + far);
            ExportStats s = export.stats();
            long accounted = s.queueDropped() + s.published() + s.notConnected() + s.abandoned() + s.failed();
            assertTrue(s.offered() >= accounted && s.offered() - accounted <= 1 + 1024,
                    "every value is counted once (queued ones aside): " + s);
            bridge.close();
        }
    }

    @Test
    void aCodecThatBreaksItsFixedLengthIsCountedAsFailedAndNeverStallsTheLink() {
        // encoded in place in a claimed Aeron frame: a wrong length must abort the claim, not leave it open
        WireCodec<MotorTelemetry> honest = new MotorCodecs.Telemetry();
        java.util.concurrent.atomic.AtomicBoolean lie = new java.util.concurrent.atomic.AtomicBoolean();
        WireCodec<MotorTelemetry> liar = new WireCodec<>() {
            @Override
            public io.github.twinlane.MessageType<MotorTelemetry> type() {
                return honest.type();
            }

            @Override
            public int encode(MotorTelemetry m, org.agrona.MutableDirectBuffer b, int o) {
                int n = honest.encode(m, b, o);
                return lie.get() ? n - 8 : n;
            }

            @Override
            public boolean decode(org.agrona.DirectBuffer b, int o, int length, MotorTelemetry into) {
                return honest.decode(b, o, length, into);
            }

            @Override
            public int fixedLength() {
                return honest.fixedLength();
            }
        };
        Schema<MotorCommand, MotorTelemetry> schema = Schema.of(Schemas.motor().id(), 1, new MotorCodecs.Command(), liar);
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive("sim", 500, Duration.ofMillis(20), Duration.ZERO));
            Export export = bridge.export(drive, Link.ipc(103), schema, ExportOptions.defaults());
            AtomicLong received = new AtomicLong();
            RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", Link.ipc(103), schema,
                    RemoteOptions.defaults());
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.slow("far").build(), remote,
                    (t, n) -> received.incrementAndGet());
            Await.until("telemetry crosses the bridge, encoded in place", WAIT, () -> received.get() > 10,
                    () -> export + " / " + far);
            lie.set(true);
            Await.until("the short messages are counted as failed", WAIT, () -> export.stats().failed() > 10,
                    export::toString);
            lie.set(false);
            long before = received.get();
            Await.until("the link carries telemetry again", WAIT, () -> received.get() > before + 10,
                    () -> export + " / " + far);
            RemoteStats rs = remote.stats();
            assertEquals(0, rs.inbound().malformed() + rs.inbound().partialDropped(), "nothing half-written arrived: " + rs);
            bridge.close();
        }
    }

    @Test
    void remoteCommandsAreRefusedUnlessEnabled() {
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            SimulatedMotorDrive sim = new SimulatedMotorDrive("sim", 500, Duration.ofMillis(20), Duration.ZERO);
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), sim);
            Export export = bridge.export(drive, Link.ipc(110), Schemas.motor(), ExportOptions.defaults());
            RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", Link.ipc(110),
                    Schemas.motor(), RemoteOptions.defaults());
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.slow("far").build(), remote);
            Await.until("telemetry arrives", WAIT, () -> far.stats().dataDelivered() > 5, far::toString);
            MotorCommand cmd = new MotorCommand();
            cmd.sequence = 1;
            cmd.velocity = 5;
            far.send(cmd);
            Await.until("the importer counts the refusal", WAIT, () -> remote.stats().commandsRefused() == 1,
                    () -> remote.stats().toString());
            assertTrue(remote.stats().lastError().contains("acceptCommands(true)"), remote.stats()::toString);
            assertEquals(0, drive.stats().commandsSent(), "nothing reached the drive");
            assertEquals(0, export.stats().commandsForwarded());
        }
    }

    @Test
    void importerWithoutExporterReportsTheLinkAndRetries() {
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(
                    ChannelConfig.slow("nobody").maxReconnectAttempts(0).build(),
                    bridge.remote("nobody", Link.ipc(120), Schemas.motor(),
                            RemoteOptions.defaults().connectTimeout(Duration.ofMillis(50))));
            java.util.List<Throwable> causes = new java.util.concurrent.CopyOnWriteArrayList<>();
            far.onStateChange((n, from, to, cause) -> {
                if (cause != null) {
                    causes.add(cause);
                }
            });
            Await.until("the channel retries and says why", WAIT,
                    () -> far.state() == ChannelState.RECONNECTING && !causes.isEmpty(), () -> far + " " + causes);
            String why = String.valueOf(causes.get(0).getMessage());
            Link link = Link.ipc(120);
            assertTrue(why.contains("no export is publishing on " + link), "names the link: " + why);
            assertTrue(why.contains("Start the exporting process"), "says what to do: " + why);
        }
    }

    @Test
    void closingTheRuntimeClosesTheBridgeAndDeletesItsDirectory() throws Exception {
        String dir;
        AeronBridge bridge;
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (TwinlaneRuntime rt = runtime()) {
            bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            dir = bridge.directory();
            assertTrue(Files.isDirectory(Path.of(dir)));
            java.util.List<Thread> fresh = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t)).toList();
            assertTrue(bridge.threads().size() >= 2, "the client's and the driver's threads: " + bridge.threads());
            assertTrue(bridge.threads().containsAll(fresh), "no thread the bridge does not account for: " + fresh);
        }
        assertFalse(Files.exists(Path.of(dir)), "embedded driver directory removed: " + dir);
        assertTrue(bridge.threads().isEmpty(), "every bridge thread stopped: " + bridge.threads());
    }

    @Test
    void exportRefusesBlockPolicy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExportOptions.defaults().policy(io.github.twinlane.BackpressurePolicy.BLOCK));
        assertTrue(e.getMessage().contains("LATEST"), e.getMessage());
    }
}
