package io.github.twinlane.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.SafetyEvent;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.record.MotorCodecs;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoCodec;
import io.github.twinlane.video.VideoFrame;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The live view against the protocol's own client library under Node.js, and against clients that misbehave. */
class FoxgloveServerTest {
    private static final FoxgloveConfig CONFIG = FoxgloveConfig.loopback().withPort(0)
            .withImageInterval(Duration.ofMillis(50));

    private static TwinlaneRuntime runtime() {
        return TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
    }

    private static long count(NodeViewer v, String topic) throws Exception {
        int before = v.lines.size();
        v.send("counts");
        String line = v.awaitFrom(before, "counts\t"); // the answer to this request, not an earlier one
        Matcher m = Pattern.compile("\"" + Pattern.quote(topic) + "\":(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void shouldShowPublishedChannelsToTheProtocolsOwnClient() throws Exception {
        try (TwinlaneRuntime rt = runtime();
             FakeCamera front = new FakeCamera(VideoCodec.JPEG, FakeCamera.jpeg(64, 48), 64, 48, 20_000_000L)) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam").build(),
                    new SimulatedCamera("cam", 320, 240, 30, PixelFormat.BGR24, Duration.ZERO));
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            view.publish(drive, cam).publishPackets("front", front, ImageCodecs.compressedImage("front"));
            assertTrue(view.url().startsWith("ws://127.0.0.1:"), view.url());
            // the loop's commands, so that /drive/commands has traffic
            MotorCommand c = new MotorCommand();
            rt.every(Duration.ofMillis(2), "control", k -> {
                c.sequence = k;
                c.velocity = 1;
                drive.send(c);
            });
            try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
                assertTrue(v.awaitPrefix("serverInfo\t").contains("time"), v.toString());
                for (String t : List.of("/drive/data\ttwinlane.motor.MotorTelemetry", "/drive/commands",
                        "/cam/data\tfoxglove.CompressedImage", "/front/packets\tfoxglove.CompressedImage",
                        "/twinlane/stats\ttwinlane.Stats", "/twinlane/log\tfoxglove.Log")) {
                    v.awaitPrefix("advertise\t" + t);
                }
                v.send("subscribe-all");
                v.awaitPrefix("subscribed\t6");
                // the viewer has sent its subscriptions; the log line is published once, so only after the
                // server has them (CI once logged it while the request was still on its way: it never came)
                Await.until("the server has the viewer's six subscriptions", () -> view.stats().clients().size() == 1
                        && view.stats().clients().get(0).subscriptions() == 6, () -> view.stats().toString());
                view.log(LogLevel.INFO, "test", "hello from the test");
                assertTrue(v.awaitPrefix("first\t/drive/data\t").contains("velocity"), v.toString());
                v.awaitPrefix("first\t/drive/commands\t");
                assertEquals("first\t/cam/data\tjpeg 320x240\tts", v.awaitPrefix("first\t/cam/data\t"));
                assertEquals("first\t/front/packets\tjpeg 64x48\tts", v.awaitPrefix("first\t/front/packets\t"));
                assertTrue(v.awaitPrefix("first\t/twinlane/stats\t").contains("channels"), v.toString());
                v.awaitPrefix("first\t/twinlane/log\t");
                assertFalse(v.has("invalid"), v.toString());

                // a channel appears, then disappears
                DeviceChannel<MotorCommand, MotorTelemetry> arm = rt.open(ChannelConfig.fast("arm").build(),
                        new SimulatedMotorDrive());
                view.publish(arm);
                v.awaitPrefix("advertise\t/arm/data");
                arm.close();
                v.awaitPrefix("unadvertise\t/arm/data");
                v.awaitPrefix("unadvertise\t/arm/commands");

                // after an unsubscribe is handled, not one more message of that topic
                v.send("unsubscribe", "/drive/data");
                v.awaitPrefix("unsubscribed\t/drive/data");
                Await.until("the server handled the unsubscribe", () -> view.stats().clients().get(0).subscriptions() == 5,
                        () -> view.stats().toString());
                view.status(LogLevel.INFO, "mark");
                v.awaitPrefix("status\t0\tmark");
                long commandsAtMark = count(v, "/drive/commands");
                Await.until("commands keep flowing", () -> {
                    try {
                        return count(v, "/drive/commands") > commandsAtMark + 50;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, v::toString);
                view.status(LogLevel.INFO, "report");
                String since = v.awaitPrefix("since-mark\t");
                assertTrue(since.contains("\"/drive/data\":0"), since);
                assertTrue(!since.contains("\"/drive/commands\":0"), since);
            }
        }
    }

    @Test
    void shouldKeepTheLaneAndTheOtherViewerGoingWhileAViewerStopsReading() throws Exception {
        byte[] unit = new byte[100_000];
        unit[3] = 1; // an Annex B start code; the rest stands for a frame's slices
        try (TwinlaneRuntime rt = runtime();
             FakeCamera front = new FakeCamera(VideoCodec.H264, unit, 640, 480, 20_000_000L)) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withLimits(8, 100, 1 << 20, 64 << 10)
                    .withUnwritableTimeout(Duration.ofMinutes(5))); // a 10 s stall, then it reads again
            view.publish(drive).publishPackets("front", front, ImageCodecs.compressedVideo("front"));
            try (NodeViewer steady = NodeViewer.start("viewer.mjs", view.url());
                 NodeViewer stalled = NodeViewer.start("viewer.mjs", view.url(), "--stall-after-ms", "1000",
                         "--stall-ms", "10000")) {
                for (NodeViewer v : List.of(steady, stalled)) {
                    v.awaitPrefix("advertise\t/front/packets");
                    v.send("subscribe-all");
                }
                stalled.awaitPrefix("stalled");
                long delivered0 = drive.stats().dataDelivered();
                long steady0 = count(steady, "/drive/data");
                long frames0 = count(steady, "/front/packets");
                stalled.awaitPrefix("resumed\t");
                // while one viewer read nothing for 10 s, the other kept receiving and the lane kept delivering (a
                // 1 kHz drive: 10,000 values; the bounds only catch a stall, they measure no rate)
                assertTrue(count(steady, "/drive/data") > steady0 + 1000, steady.toString());
                assertTrue(count(steady, "/front/packets") > frames0 + 50, steady.toString());
                assertTrue(drive.stats().dataDelivered() > delivered0 + 1000, drive.stats().toString());
                FoxgloveStats st = view.stats();
                long stalledDrops = st.clients().stream().mapToLong(FoxgloveStats.Client::dropped).max().orElse(0);
                assertTrue(stalledDrops > 0, "the stalled viewer's drops are counted: " + st);
                // and it gets fresh values again once it reads
                long after = count(stalled, "/front/packets");
                Await.until("the stalled viewer catches up", () -> {
                    try {
                        return count(stalled, "/front/packets") > after + 10;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, stalled::toString);
            }
        }
    }

    @Test
    void shouldLeaveNoThreadAndNoSessionBehindAfter50ConnectSubscribeDisconnectCycles() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            view.publish(drive);
            Await.until("the runtime's threads started", () -> drive.stats().dataReceived() > 10);
            int threads = rt.liveThreads().size();
            try (NodeViewer churn = NodeViewer.start("raw.mjs", view.url(), "churn", "50")) {
                churn.awaitPrefix("cycle\t50");
                churn.awaitExit();
            }
            Await.until("every session ended", () -> view.stats().clients().isEmpty(), () -> view.stats().toString());
            assertEquals(50, view.stats().connections());
            assertEquals(threads, rt.liveThreads().size(), rt.liveThreads().toString());
            assertEquals(0, view.stats().malformed());
        }
    }

    @Test
    void shouldCloseOnGarbageAndOversizedMessagesAndRefuseHandshakesWithoutTheSubprotocol() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withLimits(8, 100, 4096, 8 << 20));
            String[][] cases = {
                {"text", "not json", "closed\t1007\tnot the foxglove.websocket.v1 protocol: not JSON"},
                {"text", "{\"op\":\"launch\"}", "closed\t1007\tnot the foxglove.websocket.v1 protocol: unknown op 'launch'"},
                {"text", "{\"op\":\"subscribe\",\"subscriptions\":[{\"id\":-1,\"channelId\":1}]}",
                    "closed\t1007\tnot the foxglove.websocket.v1 protocol: 'id' must be an unsigned 32-bit integer"},
                {"binary", "ff00", "closed\t1007\tnot the foxglove.websocket.v1 protocol: binary message with unknown opcode 255"},
                {"big", "5000", "closed\t1009\t"},
            };
            for (String[] c : cases) {
                try (NodeViewer raw = NodeViewer.start("raw.mjs", view.url(), c[0], c[1])) {
                    String closed = raw.awaitPrefix("closed\t");
                    assertTrue(closed.startsWith(c[2]), closed + " for " + String.join(" ", c));
                }
            }
            try (NodeViewer raw = NodeViewer.start("raw.mjs", view.url(), "noproto")) {
                String refused = raw.awaitPrefix("refused\t");
                assertTrue(refused.startsWith("refused\t400\tthe client must offer the WebSocket subprotocol "
                        + "foxglove.websocket.v1"), refused);
            }
            assertEquals(cases.length, view.stats().malformed());
            assertEquals(1, view.stats().rejectedHandshakes());
            Await.until("every session ended", () -> view.stats().clients().isEmpty(), () -> view.stats().toString());
        }
    }

    @Test
    void shouldHoldToItsLimitsOnViewersAndSubscriptions() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withLimits(1, 2, 1 << 20, 8 << 20));
            view.publish(drive);
            try (NodeViewer first = NodeViewer.start("viewer.mjs", view.url())) {
                first.awaitPrefix("serverInfo\t");
                try (NodeViewer second = NodeViewer.start("raw.mjs", view.url(), "text", "{}")) {
                    assertTrue(second.awaitPrefix("refused\t").startsWith("refused\t503\tthis server already has its 1 "
                            + "clients"), second.toString());
                }
                // four topics advertised (drive data and commands, stats, log), two subscriptions allowed
                first.send("subscribe-all");
                assertTrue(first.awaitPrefix("status\t2\t").contains("too many subscriptions: this server allows 2 "
                        + "per client"), first.toString());
                Await.until("two subscriptions kept", () -> view.stats().clients().get(0).subscriptions() == 2,
                        () -> view.stats().toString());
            }
            assertEquals(1, view.stats().rejectedHandshakes());
            // the refused viewer's place was never taken, and the first one's is free again once it left
            Await.until("the viewer left", () -> view.stats().clients().isEmpty(), () -> view.stats().toString());
            try (NodeViewer again = NodeViewer.start("viewer.mjs", view.url())) {
                again.awaitPrefix("serverInfo\t");
            }
        }
    }

    @Test
    void shouldRefuseCommandsFromAViewerUnlessEnabled() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            view.publish(drive);
            try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
                assertFalse(v.awaitPrefix("serverInfo\t").contains("clientPublish"), v.toString());
                v.send("advertise", "/drive/commands", "twinlane.motor.MotorCommand");
                v.awaitPrefix("advertised");
                v.send("publish", "/drive/commands", "{\"sequence\":1,\"velocity\":9,\"sentNanos\":0}");
                String status = v.awaitPrefix("status\t2\t");
                assertTrue(status.contains("publishing on /drive/commands (json) refused: commands from a viewer are off"),
                        status);
                Await.until("the publish is counted as refused", () -> view.stats().refusedPublishes() >= 2,
                        () -> view.stats().toString());
            }
            assertEquals(0, drive.stats().commandsSent(), "nothing a viewer sent reached the drive");
        }
    }

    @Test
    void shouldPassViewerCommandsThroughTheChannelAndLetTheWatchdogStopTheDriveWhenTheViewerGoesSilent()
            throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            SimulatedMotorDrive sim = new SimulatedMotorDrive();
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(), sim);
            AtomicInteger trips = new AtomicInteger();
            drive.onSafetyEvent((name, event, detail) -> {
                if (event == SafetyEvent.WATCHDOG_TRIPPED) {
                    trips.incrementAndGet();
                }
            });
            drive.watchdog(Duration.ofMillis(300), cmd -> cmd.velocity = 0);
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            view.publish(drive).acceptCommands(drive, MotorCodecs.command());
            try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
                assertTrue(v.awaitPrefix("serverInfo\t").contains("clientPublish"), v.toString());
                v.send("advertise", "/drive/commands", "twinlane.motor.MotorCommand");
                v.awaitPrefix("advertised");
                for (int i = 1; i <= 10; i++) {
                    v.send("publish", "/drive/commands", "{\"sequence\":" + i + ",\"velocity\":7,\"sentNanos\":0}");
                }
                Await.until("ten viewer commands reached the drive", () -> view.stats().commandsAccepted() == 10,
                        () -> view.stats() + " " + drive.stats());
                int tripsBefore = trips.get();
                // the viewer now says nothing: the channel's watchdog stops the drive, and the viewer is told
                Await.until("the watchdog trips", () -> trips.get() > tripsBefore, drive.stats()::toString);
                v.awaitPrefix("status\t1\tchannel drive: WATCHDOG_TRIPPED");
                assertEquals(0, view.stats().refusedPublishes());
                assertTrue(drive.stats().commandsSent() >= 10, drive.stats().toString());
            }
        }
    }

    @Test
    void shouldAskForTheTokenWhenOneIsSet() throws Exception {
        String token = "correct-horse-battery-staple";
        try (TwinlaneRuntime rt = runtime()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withToken(token));
            assertFalse(view.config().toString().contains(token), "the token is never printed");
            try (NodeViewer wrong = NodeViewer.start("raw.mjs", view.url(), "token", "correct-horse-battery-stapl")) {
                assertTrue(wrong.awaitPrefix("refused\t").startsWith("refused\t401\ta valid access token is required"),
                        wrong.toString());
            }
            try (NodeViewer none = NodeViewer.start("raw.mjs", view.url(), "text", "{}")) {
                assertTrue(none.awaitPrefix("refused\t").startsWith("refused\t401"), none.toString());
            }
            try (NodeViewer right = NodeViewer.start("viewer.mjs", view.url(), "--token", token)) {
                right.awaitPrefix("serverInfo\t");
            }
            assertEquals(2, view.stats().rejectedHandshakes());
        }
    }

    @Test
    void shouldCloseWithTheRuntimeWithinItsBoundAndFreeThePort() throws Exception {
        TwinlaneRuntime rt = runtime();
        FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
        int port = Integer.parseInt(view.url().substring(view.url().lastIndexOf(':') + 1));
        try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
            v.awaitPrefix("serverInfo\t");
            rt.close();
            assertEquals("closed\t1001\tserver closing", v.awaitPrefix("closed\t"), v.toString());
        }
        assertTrue(rt.liveThreads().stream().noneMatch(t -> t.getName().contains("foxglove")), rt.liveThreads().toString());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
        assertThrows(IllegalStateException.class, () -> view.publishData(null, null));
    }

    @Test
    void shouldRefuseBadConfigurationNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FoxgloveConfig.loopback().withPort(70_000));
        assertEquals("port must be from 0 (any free port) to 65535, was 70000", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FoxgloveConfig.loopback().withToken("short"));
        assertEquals("token must be at least 16 characters (or null for none), was 5 characters long", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FoxgloveConfig.loopback().withImageInterval(Duration.ZERO));
        assertEquals("imageInterval must be from 10 ms to 10 s, was 0 s", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FoxgloveConfig.loopback().withClientBufferMessages(0));
        assertEquals("clientBufferMessages must be from 16 to 1000000, was 0 (FoxgloveConfig.withClientBufferMessages)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FoxgloveConfig.loopback().withUnwritableTimeout(Duration.ofMillis(10)));
        assertEquals("unwritableTimeout must be from 100 ms to 5 min, was 10 ms (FoxgloveConfig.withUnwritableTimeout)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FoxgloveConfig.loopback().withHandshakeLimits(0, Duration.ofSeconds(5)));
        assertEquals("maxPendingConnections must be from 1 to 10000, was 0 (FoxgloveConfig.withHandshakeLimits)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FoxgloveConfig.loopback().withHandshakeLimits(16, null));
        assertEquals("handshakeTimeout must be from 100 ms to 1 min, was null (FoxgloveConfig.withHandshakeLimits)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FoxgloveConfig.loopback().withIdleTimeout(Duration.ZERO));
        assertEquals("idleTimeout must be from 1 s to 10 min, was 0 s (FoxgloveConfig.withIdleTimeout)", e.getMessage());
    }

    @Test
    void shouldSayWhatToDoWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             TwinlaneRuntime rt = runtime()) {
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> FoxgloveServer.start(rt, CONFIG.withPort(taken.getLocalPort())));
            assertTrue(e.getMessage().contains("pick another port with FoxgloveConfig.withPort, or 0 for any free one"),
                    e.getMessage());
            assertTrue(rt.liveThreads().stream().noneMatch(t -> t.getName().contains("foxglove")));
        }
    }
}
