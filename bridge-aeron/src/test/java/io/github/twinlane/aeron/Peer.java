package io.github.twinlane.aeron;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.video.VideoFrame;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * The second JVM of the two-process tests. Prints one line per event on stdout, which the test reads.
 *
 * <p>Usage: {@code Peer <role> <link> <stream> [arg]} where link is {@code udp:<dataPort>:<commandPort>},
 * {@code mcast:<dataPort>:<commandPort>} (multicast on loopback) or {@code ipc:<driver directory>}; roles:
 * <ul>
 *   <li>{@code commands N}: send N motor commands, one at a time, each after the previous one's
 *       acknowledgement in telemetry; prints {@code DONE acks=N}</li>
 *   <li>{@code command-forever}: 50 Hz commands; prints {@code COMMANDING} after the first ack</li>
 *   <li>{@code receive-motor}: prints {@code RECEIVING} once telemetry flows, then just receives</li>
 *   <li>{@code frames N}: prints {@code FRAME seq crc32 width height} for N frames</li>
 *   <li>{@code mismatch}: imports motor under schema version 2; prints {@code MISMATCH <error>}</li>
 *   <li>{@code export-motor}: owns a simulated drive and exports it; prints {@code EXPORTING}</li>
 * </ul>
 */
public final class Peer {
    private Peer() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String linkArg = args[1];
        int stream = Integer.parseInt(args[2]);
        BridgeConfig bc;
        Link link;
        if (linkArg.startsWith("ipc:")) {
            bc = BridgeConfig.externalDriver(Path.of(linkArg.substring(4)));
            link = Link.ipc(stream);
        } else if (linkArg.startsWith("mcast:")) {
            bc = BridgeConfig.embedded();
            link = TwoProcessTest.multicastLink(linkArg, stream);
        } else {
            String[] p = linkArg.split(":");
            bc = BridgeConfig.embedded();
            link = Link.udp("127.0.0.1:" + p[1], "127.0.0.1:" + p[2], stream);
        }
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            AeronBridge bridge = AeronBridge.launch(rt, bc);
            switch (role) {
                case "commands" -> commands(rt, bridge, link, Integer.parseInt(args[3]));
                case "command-forever" -> commandForever(rt, bridge, link);
                case "receive-motor" -> receiveMotor(rt, bridge, link);
                case "receive-both" -> receiveBoth(rt, bridge, link, Integer.parseInt(args[3]));
                case "frames" -> frames(rt, bridge, link, Integer.parseInt(args[3]));
                case "mismatch" -> mismatch(rt, bridge, link);
                case "export-motor" -> exportMotor(rt, bridge, link);
                default -> throw new IllegalArgumentException("unknown role " + role);
            }
        }
        System.out.flush();
        System.exit(0);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The remote drive, open and flowing, with {@code ack} following the last command it acknowledged. */
    private static DeviceChannel<MotorCommand, MotorTelemetry> remoteDrive(TwinlaneRuntime rt, AeronBridge bridge,
                                                                          Link link, AtomicLong ack)
            throws InterruptedException {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.slow("remote-drive").build(),
                bridge.remote("remote-drive", link, Schemas.motor(), RemoteOptions.defaults()),
                (t, nanos) -> ack.set(t.lastCommandSequence));
        awaitFlowing(drive);
        return drive;
    }

    private static void commands(TwinlaneRuntime rt, AeronBridge bridge, Link link, int n) throws Exception {
        AtomicLong ack = new AtomicLong(-1);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = remoteDrive(rt, bridge, link, ack);
        MotorCommand cmd = new MotorCommand();
        for (int i = 1; i <= n; i++) {
            cmd.sequence = i;
            cmd.velocity = i * 0.01;
            cmd.sentNanos = System.nanoTime();
            drive.send(cmd);
            long deadline = System.nanoTime() + 60_000_000_000L; // only catches a hang
            while (ack.get() < i) {
                if (System.nanoTime() > deadline) {
                    say("TIMEOUT at " + i + " " + drive.stats() + " " + bridge.remoteStats());
                    return;
                }
                Thread.sleep(1);
            }
        }
        say("DONE acks=" + ack.get());
    }

    private static void commandForever(TwinlaneRuntime rt, AeronBridge bridge, Link link) throws Exception {
        AtomicLong ack = new AtomicLong(-1);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = remoteDrive(rt, bridge, link, ack);
        MotorCommand cmd = new MotorCommand();
        boolean told = false;
        for (long i = 1; ; i++) {
            cmd.sequence = i;
            cmd.velocity = 1.0;
            cmd.sentNanos = System.nanoTime();
            drive.send(cmd);
            if (!told && ack.get() > 0) {
                say("COMMANDING");
                told = true;
            }
            Thread.sleep(20);
        }
    }

    private static void exportMotor(TwinlaneRuntime rt, AeronBridge bridge, Link link) throws Exception {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                new io.github.twinlane.sim.SimulatedMotorDrive("sim-drive", 500, Duration.ofMillis(20), Duration.ZERO));
        bridge.export(drive, link, Schemas.motor(), ExportOptions.defaults().acceptCommands(true));
        say("EXPORTING");
        untilStdinCloses();
    }

    /** Waits until the test closes this process's input or dies: the peer never outlives its test. */
    private static void untilStdinCloses() throws java.io.IOException {
        while (System.in.read() >= 0) {
            // the test holds stdin open while it wants this peer
        }
    }

    /** Commands sent before a channel is open are discarded (and counted), as for any device: wait. */
    private static void awaitFlowing(DeviceChannel<?, ?> ch) throws InterruptedException {
        while (ch.state() != io.github.twinlane.ChannelState.OPEN || ch.stats().dataDelivered() == 0) {
            Thread.sleep(2);
        }
    }

    private static void receiveMotor(TwinlaneRuntime rt, AeronBridge bridge, Link link) throws Exception {
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.slow("remote-drive").build(),
                bridge.remote("remote-drive", link, Schemas.motor(), RemoteOptions.defaults()));
        while (drive.stats().dataDelivered() < 10) {
            Thread.sleep(5);
        }
        say("RECEIVING");
        untilStdinCloses();
    }

    /** Telemetry on {@code link}, frames on stream {@code videoStream} of the same endpoints. */
    private static void receiveBoth(TwinlaneRuntime rt, AeronBridge bridge, Link link, int videoStream)
            throws Exception {
        Link video = new Link(link.dataChannel(), link.commandChannel(), videoStream);
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.slow("remote-drive").build(),
                bridge.remote("remote-drive", link, Schemas.motor(), RemoteOptions.defaults()));
        var camera = rt.open(ChannelConfig.slow("remote-camera").build(),
                bridge.remote("remote-camera", video, Schemas.video(1920 * 1080 * 3), RemoteOptions.defaults()));
        while (drive.stats().dataDelivered() < 10 || camera.stats().dataDelivered() < 3) {
            Thread.sleep(5);
        }
        say("RECEIVING");
        untilStdinCloses();
    }

    private static void frames(TwinlaneRuntime rt, AeronBridge bridge, Link link, int n) throws Exception {
        AtomicLong got = new AtomicLong();
        CRC32 crc = new CRC32();
        Object done = new Object();
        rt.open(ChannelConfig.slow("remote-camera").dataPolicy(io.github.twinlane.BackpressurePolicy.DROP_OLDEST)
                        .capacity(4).build(),
                bridge.remote("remote-camera", link, Schemas.video(1920 * 1080 * 3), RemoteOptions.defaults()),
                (VideoFrame f, long nanos) -> {
                    if (got.get() >= n) {
                        return;
                    }
                    crc.reset();
                    crc.update(f.pixels());
                    say("FRAME " + f.sequence() + " " + crc.getValue() + " " + f.width() + " " + f.height());
                    if (got.incrementAndGet() == n) {
                        synchronized (done) {
                            done.notifyAll();
                        }
                    }
                });
        synchronized (done) {
            while (got.get() < n) {
                done.wait(100);
            }
        }
        say("STATS " + bridge.remoteStats());
    }

    private static void mismatch(TwinlaneRuntime rt, AeronBridge bridge, Link link) throws Exception {
        RemoteDevice<MotorCommand, MotorTelemetry> remote = bridge.remote("remote-drive", link,
                Schemas.motor().withVersion(2), RemoteOptions.defaults());
        DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.slow("remote-drive").build(), remote);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // only catches a hang
        while (remote.stats().lastError() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        say("MISMATCH " + remote.stats().lastError() + " | delivered " + drive.stats().dataDelivered()
                + " corrupt " + drive.stats().corruptReads());
    }
}
