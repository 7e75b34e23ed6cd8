package io.github.twinlane.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.ChannelStats;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SendResult;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.serial.codec.DelimiterCodec;
import io.github.twinlane.serial.codec.LengthCrcCodec;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.Pty;
import io.github.twinlane.test.Rig;
import io.github.twinlane.test.Threads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serial channels through the real jSerialComm native library over kernel pty pairs. */
class SerialChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    /**
     * The pty links' name: one that exists nowhere under /dev. jSerialComm maps a path it cannot find to
     * {@code /dev/<last element>}, and an unplugged {@code tty} would have been {@code /dev/tty}.
     */
    private static final String LINK = "twinlane-serial-test-drive";
    @TempDir
    Path dir;
    private final TwinlaneRuntime rt = TwinlaneRuntime.builder().build();

    @BeforeAll
    static void rig() {
        Rig.require(Rig.isLinux(), "Linux's kernel ptys", "run the tests on Linux");
        for (String name : new String[] {LINK, LINK + 0, LINK + 1, LINK + 2}) {
            org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(Path.of("/dev", name)), name);
        }
    }

    @AfterEach
    void close() {
        rt.close();
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
        for (ChannelStats s : rt.channelStats()) {
            assertEquals(s.commandsSent(), s.commandsWritten() + s.commandsFailed() + s.commandsDropped(), s.toString());
            assertEquals(s.dataReceived(), s.dataDelivered() + s.dataDropped(), s.toString());
            assertEquals(ChannelState.CLOSED, s.state());
        }
    }

    @Test
    @SuppressWarnings("try") // the peer only has to live as long as the block
    void shouldReadFramesWithoutAllocatingOnTheReaderThread() throws Exception {
        try (Pty pty = Pty.open(dir.resolve(LINK)); DrivePeer peer = new DrivePeer(pty, new LengthCrcCodec(64), 1000)) {
            java.util.concurrent.atomic.AtomicLong frames = new java.util.concurrent.atomic.AtomicLong();
            rt.open(ChannelConfig.fast("drive").build(),
                    SerialPortDriver.blocking(SerialConfig.path(pty.link().toString()).build(), new LengthCrcCodec(64)),
                    (f, at) -> frames.incrementAndGet());
            Await.until("warm", WAIT, () -> frames.get() > 1000, () -> "" + frames.get());
            Thread reader = rt.liveThreads().stream().filter(t -> t.getName().endsWith("-reader")).findFirst().orElseThrow();
            long before = Threads.allocatedBytes(List.of(reader));
            long f0 = frames.get();
            Await.until("1,000 more frames", WAIT, () -> frames.get() > f0 + 1000, () -> "" + frames.get());
            long bytes = Threads.allocatedBytes(List.of(reader)) - before;
            assertTrue(bytes < 4096, "the serial reader thread allocated " + bytes + " bytes over 1,000+ frames");
        }
    }

    private static long seqOf(String telemetry) {
        return Long.parseLong(telemetry.split(" ")[1]);
    }

    @Test
    void shouldCarryTelemetryAndCommandsOnTheFastLaneInOrder() throws Exception {
        try (Pty pty = Pty.open(dir.resolve(LINK)); DrivePeer peer = new DrivePeer(pty, DelimiterCodec.lines(64), 500)) {
            List<String> got = new CopyOnWriteArrayList<>();
            // BLOCK: every telemetry sample reaches the handler (the default, LATEST, would conflate bursts)
            DeviceChannel<SerialFrame, SerialFrame> ch = rt.open(ChannelConfig.fast("drive")
                            .dataPolicy(io.github.twinlane.BackpressurePolicy.BLOCK).build(),
                    SerialPortDriver.blocking(SerialConfig.path(pty.link().toString()).build(), DelimiterCodec.lines(64)),
                    (f, at) -> got.add(f.ascii()));
            Await.until("open", WAIT, () -> ch.state() == ChannelState.OPEN, ch::toString);
            Await.until("100 telemetry frames", WAIT, () -> got.size() >= 100, () -> ch.stats().toString());
            for (int i = 1; i < got.size(); i++) {
                assertEquals(seqOf(got.get(i - 1)) + 1, seqOf(got.get(i)), "in order, none lost: " + got);
            }
            SerialFrame cmd = new SerialFrame(64).setAscii("V 12.5");
            assertEquals(SendResult.ACCEPTED, ch.send(cmd));
            Await.until("the drive applies the command", WAIT,
                    () -> got.get(got.size() - 1).endsWith(" 12.5"), () -> got.get(got.size() - 1));
            assertEquals(List.of("V 12.5"), peer.commands);
        }
    }

    @Test
    void shouldMultiplexManyPortsOnOneSlowLaneLoopThreadWithoutThreadsOfTheirOwn() throws Exception {
        List<Pty> ptys = new ArrayList<>();
        List<DrivePeer> peers = new ArrayList<>();
        List<DeviceChannel<SerialFrame, SerialFrame>> chans = new ArrayList<>();
        List<List<String>> got = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Pty p = Pty.open(dir.resolve(LINK + i));
                ptys.add(p);
                peers.add(new DrivePeer(p, new LengthCrcCodec(64), 100));
                List<String> g = new CopyOnWriteArrayList<>();
                got.add(g);
                chans.add(rt.open(ChannelConfig.slow("port" + i).capacity(64)
                                .dataPolicy(io.github.twinlane.BackpressurePolicy.BLOCK).build(),
                        SerialPortDriver.nonBlocking(SerialConfig.path(p.link().toString()).build(), new LengthCrcCodec(64)),
                        (f, at) -> g.add(f.ascii())));
            }
            for (List<String> g : got) {
                Await.until("20 frames on every port", WAIT, () -> g.size() >= 20, g::toString);
                for (int i = 1; i < g.size(); i++) {
                    assertEquals(seqOf(g.get(i - 1)) + 1, seqOf(g.get(i)));
                }
            }
            // besides the runtime's supervisor, which watches every channel that takes commands for stuck writes
            List<String> names = rt.liveThreads().stream().map(Thread::getName)
                    .filter(n -> !n.equals("twinlane-fast-runtime-supervisor")).toList();
            assertEquals(List.of("twinlane-slow-loop0-run"), names, "non-blocking ports share the loop thread");
            for (int i = 0; i < 3; i++) {
                final int port = i;
                chans.get(i).send(new SerialFrame(64).setAscii("V " + i));
                Await.until("command on port " + i, WAIT, () -> peers.get(port).commands.contains("V " + port),
                        () -> peers.get(port).commands.toString());
            }
        } finally {
            for (DrivePeer p : peers) {
                p.close();
            }
            for (Pty p : ptys) {
                p.close();
            }
        }
    }

    @Test
    void shouldReconnectAfterAnUnplugAndDropCommandsSentMeanwhile() throws Exception {
        Pty pty = Pty.open(dir.resolve(LINK));
        DrivePeer peer = new DrivePeer(pty, DelimiterCodec.lines(64), 200);
        List<ChannelState> states = Collections.synchronizedList(new ArrayList<>());
        List<String> got = new CopyOnWriteArrayList<>();
        DeviceChannel<SerialFrame, SerialFrame> ch = rt.open(ChannelConfig.fast("drive")
                        .backoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(100))).build(),
                SerialPortDriver.blocking(SerialConfig.path(pty.link().toString()).build(), DelimiterCodec.lines(64)),
                (f, at) -> got.add(f.ascii()));
        ch.onStateChange((n, from, to, cause) -> states.add(to));
        try {
            Await.until("frames", WAIT, () -> got.size() > 20, ch.stats()::toString);
            peer.close();
            pty.unplug();
            Await.until("reconnecting", WAIT, () -> ch.state() == ChannelState.RECONNECTING, ch.stats()::toString);
            assertEquals(SendResult.DROPPED_NOT_OPEN, ch.send(new SerialFrame(64).setAscii("V 99")));
            pty.replug();
            peer = new DrivePeer(pty, DelimiterCodec.lines(64), 200);
            Await.until("open again", WAIT, () -> ch.state() == ChannelState.OPEN, ch.stats()::toString);
            int before = got.size();
            Await.until("frames after the re-plug", WAIT, () -> got.size() > before + 20, ch.stats()::toString);
            ChannelStats s = ch.stats();
            assertEquals(1, s.reconnects(), s.toString());
            assertEquals(1, s.commandsDropped(), s.toString());
            assertTrue(states.contains(ChannelState.RECONNECTING));
            assertEquals(ChannelState.OPEN, states.get(states.size() - 1));
            assertTrue(peer.commands.isEmpty(), "the command sent while unplugged is never replayed late: " + peer.commands);
        } finally {
            peer.close();
            pty.close();
        }
    }

    @Test
    void shouldDropGarbageOnTheLineAndKeepDecoding() throws Exception {
        try (Pty pty = Pty.open(dir.resolve(LINK)); DrivePeer peer = new DrivePeer(pty, new LengthCrcCodec(64), 300)) {
            List<String> got = new CopyOnWriteArrayList<>();
            SerialPortDriver driver = SerialPortDriver.blocking(SerialConfig.path(pty.link().toString()).build(),
                    new LengthCrcCodec(64));
            DeviceChannel<SerialFrame, SerialFrame> ch = rt.open(ChannelConfig.fast("drive").build(), driver,
                    (f, at) -> got.add(f.ascii()));
            Await.until("frames", WAIT, () -> got.size() > 10, ch.stats()::toString);
            byte[] noise = new byte[200];
            new java.util.Random(1).nextBytes(noise);
            noise[50] = LengthCrcCodec.SYNC; // a false frame start inside the noise
            peer.sendGarbage(noise);
            int before = got.size();
            Await.until("frames after the noise", WAIT, () -> got.size() > before + 30, ch.stats()::toString);
            assertTrue(got.stream().allMatch(s -> s.startsWith("T ")), "no garbage escaped as a frame");
            assertTrue(driver.decoderStats().droppedBytes() >= 190, driver.decoderStats().toString());
            assertEquals(ChannelState.OPEN, ch.state());
        }
    }
}
