package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Two JVMs on loopback: this one owns the devices and exports them, a {@link Peer} started by the
 * test imports them, over UDP (each process with its own embedded media driver) or IPC (the peer
 * joins this process's driver as an external one).
 */
class TwoProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TwinlaneRuntime runtime() {
        return TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
    }

    /** Two free UDP ports on loopback, as {@code udp:<data>:<commands>} for the peer. */
    private static String udpPorts() throws IOException {
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0)) {
            return "udp:" + a.getLocalPort() + ":" + b.getLocalPort();
        }
    }

    private static Link udpLink(String ports, int stream) {
        String[] p = ports.split(":");
        return Link.udp("127.0.0.1:" + p[1], "127.0.0.1:" + p[2], stream);
    }

    /** Multicast on loopback: group 239.255.77.1, the ports of {@code mcast:<data>:<commands>}. */
    static Link multicastLink(String spec, int stream) {
        String[] p = spec.split(":");
        return Link.multicast("239.255.77.1:" + p[1], "239.255.77.1:" + p[2], "127.0.0.1", stream);
    }

    /** Whether loopback carries multicast here ({@code ip link set lo multicast on}, which .ci/run does). */
    private static boolean loopbackMulticast() throws IOException {
        String flags = Files.readString(Path.of("/sys/class/net/lo/flags")).trim();
        return (Integer.decode(flags) & 0x1000) != 0; // IFF_MULTICAST
    }

    private static DeviceChannel<MotorCommand, MotorTelemetry> drive(TwinlaneRuntime rt, int hz) {
        return rt.open(ChannelConfig.fast("drive").dataPolicy(BackpressurePolicy.DROP_OLDEST).capacity(1024).build(),
                new SimulatedMotorDrive("sim-drive", hz, Duration.ofMillis(20), Duration.ZERO));
    }

    /**
     * The peer sends 50 commands to this process's drive over {@code link}, each after the previous one's
     * acknowledgement came back in telemetry; every one must arrive, and telemetry must flow out.
     */
    private static void commandsRoundTrip(BridgeConfig config, Link link, String peerLink) throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, config);
            DeviceChannel<MotorCommand, MotorTelemetry> drive = drive(rt, 500);
            Export export = bridge.export(drive, link, Schemas.motor(), ExportOptions.defaults().acceptCommands(true));
            try (PeerProcess peer = new PeerProcess("commands", peerLink, Integer.toString(link.streamId()), "50")) {
                assertEquals("DONE acks=50", peer.await("DONE", WAIT).trim(), peer::output);
                assertEquals(0, peer.waitForExit(WAIT), peer::output);
            }
            ExportStats s = export.stats();
            assertEquals(50, s.commandsForwarded(), s::toString);
            assertEquals(50, drive.stats().commandsSent(), drive.stats()::toString);
            assertTrue(s.published() > 0, s::toString);
        }
    }

    @Test
    void telemetryAndCommandsRoundTripOverUdp() throws Exception {
        String ports = udpPorts();
        commandsRoundTrip(BridgeConfig.embedded(), udpLink(ports, 10), ports);
    }

    @Test
    void telemetryAndCommandsRoundTripOverIpcThroughOneMediaDriver() throws Exception {
        Path dir = Files.createTempDirectory("twinlane-ipc-test");
        commandsRoundTrip(BridgeConfig.embedded(dir), Link.ipc(20), "ipc:" + dir);
    }

    @Test
    void telemetryAndCommandsRoundTripOverUdpMulticast() throws Exception {
        boolean rig = loopbackMulticast();
        io.github.twinlane.test.Rig.require(rig, "multicast on the loopback interface",
                "run 'ip link set lo multicast on' as root (.ci/run does)");
        String ports = udpPorts().replace("udp:", "mcast:");
        commandsRoundTrip(BridgeConfig.embedded(), multicastLink(ports, 80), ports);
    }

    @Test
    void cameraFramesArriveBitExactAfterFragmentation() throws Exception {
        String ports = udpPorts();
        Map<Long, Long> sentCrc = new ConcurrentHashMap<>();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            SimulatedCamera cam = new SimulatedCamera("sim-cam", 1920, 1080, 30, PixelFormat.BGR24, Duration.ZERO);
            CRC32 crc = new CRC32();
            DeviceChannel<NoCommand, VideoFrame> camera = rt.open(ChannelConfig.slow("camera").build(), cam,
                    (f, t) -> {
                        crc.reset();
                        crc.update(f.pixels());
                        sentCrc.put(f.sequence(), crc.getValue());
                    });
            Export export = bridge.export(camera, udpLink(ports, 30), Schemas.video(cam.frameBytes()),
                    ExportOptions.defaults());
            try (PeerProcess peer = new PeerProcess("frames", ports, "30", "20")) {
                int checked = 0;
                for (int i = 0; i < 20; i++) {
                    String[] f = peer.await("FRAME", WAIT).split(" ");
                    long seq = Long.parseLong(f[1]);
                    // the export's tap copies a frame when it is read, before this process's handler sees it: the
                    // peer may print a frame before the handler here has taken its checksum
                    Await.until("frame " + seq + " captured here too", WAIT, () -> sentCrc.containsKey(seq));
                    Long expected = sentCrc.get(seq);
                    assertEquals(expected.longValue(), Long.parseLong(f[2]), "frame " + seq + " pixels differ");
                    assertEquals("1920", f[3]);
                    assertEquals("1080", f[4]);
                    checked++;
                }
                assertEquals(20, checked);
                assertEquals(0, peer.waitForExit(WAIT), peer::output);
            }
            ExportStats s = export.stats();
            long payload = VideoCodecs.Frames.HEADER + (long) cam.frameBytes();
            long chunk = Link.LOOPBACK_MTU - 32 - Wire.HEADER; // Aeron's data header, then ours
            long perFrame = (payload + chunk - 1) / chunk;
            assertTrue(perFrame > 90, "a 6 MB frame needs many fragments on loopback: " + perFrame);
            // whole frames for every published or resent one; a frame given up part-way (back-pressure outlasting
            // the offer timeout on a loaded machine: abandoned; or the peer gone mid-frame: not connected) adds
            // fewer than a whole frame's fragments, and nothing else adds any
            long extra = s.fragmentsSent() - perFrame * (s.published() + s.resent());
            assertTrue(extra >= 0 && extra <= (perFrame - 1) * (s.abandoned() + s.notConnected()),
                    "every frame sent in " + perFrame + " fragments: " + s);
        }
    }

    @Test
    void killingTheReceiverNeverBlocksTheSendersFastLane() throws Exception {
        String ports = udpPorts();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = drive(rt, 1000);
            SimulatedCamera cam = new SimulatedCamera("sim-cam", 1920, 1080, 30, PixelFormat.BGR24, Duration.ZERO);
            DeviceChannel<NoCommand, VideoFrame> camera = rt.open(ChannelConfig.slow("camera").build(), cam);
            Export motorExport = bridge.export(drive, udpLink(ports, 40), Schemas.motor(), ExportOptions.defaults());
            Export videoExport = bridge.export(camera, udpLink(ports, 42), Schemas.video(cam.frameBytes()),
                    ExportOptions.defaults());
            try (PeerProcess peer = new PeerProcess("receive-both", ports, "40", "42")) {
                peer.await("RECEIVING", WAIT);
                peer.kill();
            }
            long publishedAtKill = motorExport.stats().published();
            long motorUnsentAtKill = motorExport.stats().notConnected();
            long videoUnsentAtKill = videoExport.stats().notConnected();
            // through back-pressure and the liveness timeouts, until both exports have noticed nobody listens,
            // and once more after: the drive's own lane keeps delivering all along
            boolean noticed;
            do {
                noticed = motorExport.stats().notConnected() > motorUnsentAtKill
                        && videoExport.stats().notConnected() > videoUnsentAtKill;
                long from = drive.stats().dataDelivered();
                Await.until("the drive's lane keeps delivering", WAIT, () -> drive.stats().dataDelivered() > from + 100,
                        () -> drive.stats() + " / " + motorExport + " / " + videoExport);
            } while (!noticed);
            ChannelStats d = drive.stats();
            assertEquals(0, d.dataDropped(), "the drive's own ring never backed up: " + d);
            ExportStats m = motorExport.stats();
            assertTrue(m.notConnected() > 0, "the export noticed nobody is listening: " + m);
            assertTrue(m.published() >= publishedAtKill, m::toString);
            ExportStats v = videoExport.stats();
            // the dead receiver stopped granting window: 6 MB frames hit back-pressure, the export gave each up
            // after its offer timeout, and the camera's newer frames replaced the queued ones (LATEST)
            assertTrue(v.abandoned() > 0, "back-pressure met and given up on, not waited out: " + v);
            assertTrue(v.queueDropped() > 0, "the export's policy conflated while Aeron back-pressured: " + v);
            for (ExportStats s : new ExportStats[] {m, v}) {
                long accounted = s.queueDropped() + s.published() + s.notConnected() + s.abandoned() + s.failed();
                assertTrue(s.offered() - accounted >= 0 && s.offered() - accounted <= 4 + 1,
                        "every message offered is published, dropped or counted as unsent: " + s);
            }
        }
    }

    @Test
    void aLateJoinersFirstFrameIsTheNewest() throws Exception {
        String ports = udpPorts();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            PushSource source = new PushSource(320 * 240);
            DeviceChannel<NoCommand, VideoFrame> camera = rt.open(ChannelConfig.slow("push").build(), source);
            Export export = bridge.export(camera, udpLink(ports, 50), Schemas.video(320 * 240),
                    ExportOptions.defaults());
            for (int seq = 1; seq <= 10; seq++) {
                source.push(seq, 320, 240);
            }
            // the camera channel may conflate some (its policy is LATEST); frame 10 is its newest either way
            Await.until("ten frames through the camera channel", WAIT,
                    () -> camera.stats().dataDelivered() + camera.stats().dataDropped() == 10, camera.stats()::toString);
            // nobody listens yet: the export published nothing (frames offered before its publication opened
            // were discarded and counted, later ones skipped as not connected); it must still answer a joiner
            Await.until("the export is open", WAIT, () -> export.stats().state() == ChannelState.OPEN,
                    export::toString);
            assertEquals(0, export.stats().published(), export::toString);
            try (PeerProcess peer = new PeerProcess("frames", ports, "50", "2")) {
                String first = peer.await("FRAME", WAIT);
                assertEquals("10", first.split(" ")[1], "the first frame is the newest, not history: " + first);
                source.push(11, 320, 240);
                String second = peer.await("FRAME", WAIT);
                assertEquals("11", second.split(" ")[1], second);
                assertEquals(0, peer.waitForExit(WAIT), peer::output);
            }
            assertEquals(1, export.stats().resent(), export::toString);
        }
    }

    @Test
    void aRemoteDeviceReconnectsWhenTheExportingProcessRestarts() throws Exception {
        String ports = udpPorts();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", udpLink(ports, 90),
                    Schemas.motor(), RemoteOptions.defaults());
            DeviceChannel<MotorCommand, MotorTelemetry> far = rt.open(ChannelConfig.slow("far").build(), remote);
            java.util.List<ChannelState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
            far.onStateChange((channel, from, to, cause) -> states.add(to));
            try (PeerProcess first = new PeerProcess("export-motor", ports, "90")) {
                first.await("EXPORTING", WAIT);
                Await.until("telemetry from the first process", WAIT, () -> far.stats().dataDelivered() > 10,
                        far::toString);
                first.kill(); // the vision computer reboots
            }
            Await.until("the channel notices the export is gone", WAIT, () -> far.state() == ChannelState.RECONNECTING,
                    () -> far.state() + " " + remote.stats());
            long before = far.stats().dataDelivered();
            try (PeerProcess second = new PeerProcess("export-motor", ports, "90")) {
                second.await("EXPORTING", WAIT);
                Await.until("telemetry from the restarted process", WAIT,
                        () -> far.state() == ChannelState.OPEN && far.stats().dataDelivered() > before + 10,
                        () -> far.state() + " " + far.stats() + " " + remote.stats());
            }
            assertEquals(1, far.stats().reconnects(), far.stats()::toString);
            assertTrue(states.containsAll(java.util.List.of(ChannelState.RECONNECTING, ChannelState.OPEN)), states::toString);
        }
    }

    @Test
    void aSchemaMismatchIsReportedNotDecoded() throws Exception {
        String ports = udpPorts();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = drive(rt, 200);
            Export export = bridge.export(drive, udpLink(ports, 60), Schemas.motor(), ExportOptions.defaults());
            try (PeerProcess peer = new PeerProcess("mismatch", ports, "60")) {
                String line = peer.await("MISMATCH", WAIT);
                assertTrue(line.contains("received schema " + Schemas.MOTOR_ID + " v1 but decodes schema "
                        + Schemas.MOTOR_ID + " v2"), line);
                assertTrue(line.contains("| delivered 0 "), "nothing decoded under the wrong schema: " + line);
                assertEquals(0, peer.waitForExit(WAIT), peer::output);
            }
            Await.until("the exporter counted the importer's hello under v2", WAIT,
                    () -> export.stats().inbound().schemaMismatches() > 0, export::toString);
        }
    }

    @Test
    void theWatchdogStopsTheDriveWhenTheRemoteCommanderGoesSilent() throws Exception {
        String ports = udpPorts();
        try (TwinlaneRuntime rt = runtime()) {
            AeronBridge bridge = AeronBridge.launch(rt, BridgeConfig.embedded());
            DeviceChannel<MotorCommand, MotorTelemetry> drive = drive(rt, 500);
            drive.watchdog(Duration.ofMillis(200), stop -> stop.velocity = 0);
            bridge.export(drive, udpLink(ports, 70), Schemas.motor(), ExportOptions.defaults().acceptCommands(true));
            MotorTelemetry t = new MotorTelemetry();
            try (PeerProcess peer = new PeerProcess("command-forever", ports, "70")) {
                peer.await("COMMANDING", WAIT);
                Await.until("the remote commands move the drive", WAIT,
                        () -> drive.latest(t) && t.setpoint == 1.0, () -> "setpoint " + t.setpoint);
                long safeBefore = drive.stats().safeStops();
                peer.kill();
                Await.until("the watchdog writes its safe command", WAIT,
                        () -> drive.stats().safeStops() > safeBefore, drive.stats()::toString);
            }
            Await.until("the drive's setpoint is back to 0", WAIT, () -> drive.latest(t) && t.setpoint == 0.0,
                    () -> "setpoint " + t.setpoint);
        }
    }
}
