package io.github.twinlane.foxglove;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.MessageType;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.record.RecordCodec;
import io.github.twinlane.sim.SimulatedMotorDrive;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.VideoCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The live view against viewers that try to exhaust it: one that stops reading and floods requests,
 * connections that never upgrade, viewers that never answer a ping, and frames that bend RFC 6455. Waits
 * are hang bounds; what is asserted is the server's own counts and the codes on the wire.
 */
class HostileViewersTest {
    private static final FoxgloveConfig CONFIG = FoxgloveConfig.loopback().withPort(0)
            .withImageInterval(Duration.ofMillis(50));

    private static TwinlaneRuntime runtime() {
        return TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build();
    }

    private static long count(NodeViewer v, String topic) throws Exception {
        int before = v.lines.size();
        v.send("counts");
        String line = v.awaitFrom(before, "counts\t");
        Matcher m = Pattern.compile("\"" + Pattern.quote(topic) + "\":(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static FoxgloveStats.Client client(FoxgloveServer view, String address) {
        return view.stats().clients().stream().filter(c -> c.address().equals(address)).findFirst().orElse(null);
    }

    private static long offeredControl(FoxgloveStats.Outbound o) {
        return o.controlQueued() + o.controlDropped();
    }

    /**
     * A 100 kB H.264 unit every 20 ms (133 kB as the topic's JSON): fills a stalled viewer's socket buffers
     * within a second or two.
     */
    private static FakeCamera camera() {
        byte[] unit = new byte[100_000];
        unit[3] = 1;
        return new FakeCamera(VideoCodec.H264, unit, 640, 480, 20_000_000L);
    }

    /**
     * The flood: a viewer subscribes to everything, stops reading, then sends 20 subscribe requests of 3,000
     * unknown ids each and 5,000 pings, while another viewer reads everything. The server stops reading
     * the flooder once its queue is full, disconnects it when it stays full, and the other keeps receiving.
     */
    private static void flood(FoxgloveServer view, DeviceChannel<?, ?> drive, long boundBytes, long boundMessages)
            throws Exception {
        try (NodeViewer steady = NodeViewer.start("viewer.mjs", view.url());
             NodeViewer flooder = NodeViewer.start("flood.mjs", view.url())) {
            steady.awaitPrefix("advertise\t/front/packets");
            steady.send("subscribe-all");
            String stalledAddress = "/127.0.0.1:" + flooder.awaitPrefix("stalled\t").split("\t")[2];
            Await.until("both viewers are sessions", () -> view.stats().clients().size() == 2, view::toString);
            // the stalled viewer's queue fills: it loses values, counted
            Await.until("the stalled viewer loses values", () -> {
                FoxgloveStats.Client c = client(view, stalledAddress);
                return c != null && c.outbound().dropped() > 0;
            }, () -> view.stats().toString());
            flooder.send("flood", "20", "3000");
            flooder.send("pings", "5000");
            // its queue is full: the server stops reading it, and reads again only once the queue has drained to
            // half (into the socket, until the kernel's buffers are full too); meanwhile requests wait unparsed
            Await.until("the server stops reading the stalled viewer", () -> view.stats().readsPaused() >= 1,
                    () -> view.stats().toString());
            FoxgloveStats.Client c = client(view, stalledAddress);
            if (c != null) { // every drop is counted once by why and once by what it was
                assertEquals(c.outbound().dropped(), c.outbound().controlDropped() + c.outbound().timeDropped()
                        + c.dropped(), c.toString());
            }
            Await.until("the stalled viewer is disconnected", () -> view.stats().disconnects().unwritable() == 1,
                    () -> view.stats().toString());
            Await.until("it has left", () -> view.stats().clients().size() == 1, () -> view.stats().toString());
            FoxgloveStats st = view.stats();
            FoxgloveStats.Outbound other = st.clients().get(0).outbound();
            // server info and advertise, then one reply per request and ping it read, each queued or dropped:
            // it read in bursts, each time its queue drained into the socket, never more than was sent
            long answered = offeredControl(st.outbound()) - offeredControl(other);
            assertTrue(answered >= 2 && answered <= 5022, answered + " control messages: " + st);
            assertTrue(st.outbound().peakMessages() <= boundMessages, st.toString());
            assertTrue(st.outbound().peakBytes() <= boundBytes, st.toString()); // every message here is smaller
            assertEquals(0, st.disconnects().idle(), st.toString());
            // the stalled viewer, reading again, finds its connection ended
            flooder.send("resume");
            flooder.awaitPrefix("closed\t");
            // and the other one kept receiving throughout
            long steady0 = count(steady, "/drive/data");
            Await.until("the other viewer keeps receiving", () -> {
                try {
                    return count(steady, "/drive/data") > steady0 + 100;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, steady::toString);
            assertFalse(steady.has("closed\t"), steady.toString());
            assertTrue(drive.stats().dataDelivered() > 0);
        }
    }

    @Test
    void shouldBoundTheQueueOfAViewerThatStopsReadingAndDisconnectItWhileAnotherKeepsReceiving() throws Exception {
        try (TwinlaneRuntime rt = runtime(); FakeCamera front = camera()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withLimits(8, 100, 1 << 20, 256 << 10)
                    .withClientBufferMessages(64).withUnwritableTimeout(Duration.ofSeconds(5))
                    .withIdleTimeout(Duration.ofMinutes(5)));
            view.publish(drive).publishPackets("front", front, ImageCodecs.compressedVideo("front"));
            flood(view, drive, 256 << 10, 64);
        }
    }

    @Test
    void shouldHoldTheDocumentedDefaultBoundsAgainstTheSameFlood() throws Exception {
        FoxgloveConfig d = FoxgloveConfig.loopback();
        assertEquals(8 << 20, d.clientBufferBytes());
        assertEquals(8192, d.clientBufferMessages());
        assertEquals(Duration.ofSeconds(5), d.unwritableTimeout());
        assertEquals(16, d.maxPendingConnections());
        assertEquals(Duration.ofSeconds(5), d.handshakeTimeout());
        assertEquals(Duration.ofSeconds(20), d.idleTimeout());
        try (TwinlaneRuntime rt = runtime(); FakeCamera front = camera()) {
            DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
                    new SimulatedMotorDrive());
            FoxgloveServer view = FoxgloveServer.start(rt, d.withPort(0));
            view.publish(drive).publishPackets("front", front, ImageCodecs.compressedVideo("front"));
            flood(view, drive, d.clientBufferBytes(), d.clientBufferMessages());
        }
    }

    @Test
    void shouldCloseConnectionsOverThePendingLimitAndTimeOutTheOthersThenAdmitAViewer() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withHandshakeLimits(4, Duration.ofSeconds(2)));
            try (NodeViewer tcp = NodeViewer.start("pending.mjs", view.url(), "10")) {
                tcp.awaitPrefix("opened\t10");
                tcp.awaitPrefix("ended\t"); // the six over the limit go at once
                Await.until("six closed as accepted", () -> view.stats().disconnects().overPendingLimit() == 6,
                        () -> view.stats().toString());
                Await.until("the four others time out", () -> view.stats().disconnects().handshakeTimeouts() == 4,
                        () -> view.stats().toString());
                Await.until("every connection ended", () -> tcp.lines.stream().filter(l -> l.startsWith("ended\t"))
                        .count() == 10, tcp::toString);
            }
            try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
                v.awaitPrefix("serverInfo\t");
            }
            assertEquals(6, view.stats().disconnects().overPendingLimit());
            assertEquals(4, view.stats().disconnects().handshakeTimeouts());
        }
    }

    @Test
    void shouldDisconnectViewersThatNeverAnswerAPingAndThenAdmitANinth() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG.withIdleTimeout(Duration.ofSeconds(2)));
            List<NodeViewer> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    silent.add(NodeViewer.start("silent.mjs", view.url()));
                }
                for (NodeViewer s : silent) {
                    s.awaitPrefix("open");
                }
                try (NodeViewer ninth = NodeViewer.start("raw.mjs", view.url(), "text", "{}")) {
                    assertTrue(ninth.awaitPrefix("refused\t").startsWith("refused\t503"), ninth.toString());
                }
                for (NodeViewer s : silent) {
                    assertEquals("closed\t1001\tidle: nothing received for 2 s, not even a pong",
                            s.awaitPrefix("closed\t"), s.toString());
                    assertTrue(s.has("ping"), s.toString()); // pinged first, at half the timeout
                }
                Await.until("their places are free", () -> view.stats().clients().isEmpty(), view::toString);
                assertEquals(8, view.stats().disconnects().idle());
                try (NodeViewer ninth = NodeViewer.start("viewer.mjs", view.url())) {
                    ninth.awaitPrefix("serverInfo\t");
                }
            } finally {
                silent.forEach(NodeViewer::close);
            }
        }
    }

    @Test
    void shouldAnswerRfc6455ViolationsWithExactlyOneCloseFrameOfTheRightCode() throws Exception {
        try (TwinlaneRuntime rt = runtime()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            String[][] cases = {
                {"closecode", "999", "close\t1002\t"},
                {"closecode", "500", "close\t1002\t"},
                {"closecode", "1004", "close\t1002\t"},
                {"closecode", "1005", "close\t1002\t"},
                {"closecode", "1006", "close\t1002\t"},
                {"closecode", "1015", "close\t1002\t"},
                {"closecode", "1016", "close\t1002\t"},
                {"closecode", "2999", "close\t1002\t"},
                {"closecode", "1000", "close\t1000\t"}, // a valid close is answered with its own code
                {"closecode", "4000", "close\t4000\t"},
                {"text", "not json", "close\t1007\tnot the foxglove.websocket.v1 protocol: not JSON"},
                {"fragments", Integer.toString(1_100_000), "1024", "close\t1009\t"},
            };
            for (String[] c : cases) {
                String[] args = new String[c.length]; // the URL, the mode and its arguments
                args[0] = view.url();
                System.arraycopy(c, 0, args, 1, c.length - 1);
                try (NodeViewer raw = NodeViewer.start("rfc.mjs", args)) {
                    String end = raw.awaitPrefix("end\t");
                    String close = raw.awaitPrefix("close\t");
                    String expected = c[c.length - 1];
                    assertTrue(!expected.startsWith("close\t1002") || close.endsWith("code: " + c[1]), close);
                    assertTrue(close.startsWith(expected), close + " for " + String.join(" ", c) + ": " + raw);
                    assertEquals("end\t1", end, "exactly one close frame for " + String.join(" ", c) + ": " + raw);
                }
            }
            try (NodeViewer raw = NodeViewer.start("rfc.mjs", view.url(), "header", "100000")) {
                String refused = raw.awaitPrefix("refused\t");
                assertTrue(refused.startsWith("refused\t431\tthe request's headers are larger than this server reads"),
                        refused);
            }
            Await.until("every session ended", () -> view.stats().clients().isEmpty(), view::toString);
        }
    }

    /** {@code real}, except that its first value meets an OutOfMemoryError where a direct buffer would grow. */
    private static <E> RecordCodec<E> failingOnce(RecordCodec<E> real) {
        AtomicInteger calls = new AtomicInteger();
        return new RecordCodec<>() {
            @Override
            public MessageType<E> type() {
                return real.type();
            }

            @Override
            public String schemaName() {
                return real.schemaName();
            }

            @Override
            public String schemaEncoding() {
                return real.schemaEncoding();
            }

            @Override
            public byte[] schema() {
                return real.schema();
            }

            @Override
            public String messageEncoding() {
                return real.messageEncoding();
            }

            @Override
            public void encode(E value, OutputStream out) throws IOException {
                if (calls.getAndIncrement() == 0) {
                    real.encode(value, new OutputStream() {
                        @Override
                        public void write(int b) {
                            throw new OutOfMemoryError("Direct buffer memory (a test)");
                        }

                        @Override
                        public void write(byte[] b, int off, int len) {
                            throw new OutOfMemoryError("Direct buffer memory (a test)");
                        }
                    });
                }
                real.encode(value, out);
            }

            @Override
            public boolean decode(byte[] data, int offset, int length, E into) {
                return real.decode(data, offset, length, into);
            }
        };
    }

    @Test
    void shouldEncodeTheNextValueWholeAfterTheCodecFailedWithAnOutOfMemoryError() throws Exception {
        try (TwinlaneRuntime rt = runtime(); FakeCamera front = camera()) {
            FoxgloveServer view = FoxgloveServer.start(rt, CONFIG);
            // a 133 kB value: the generator writes out mid-object, where the error strikes
            view.publishPackets("front", front, failingOnce(ImageCodecs.compressedVideo("front")));
            try (NodeViewer v = NodeViewer.start("viewer.mjs", view.url())) {
                v.awaitPrefix("advertise\t/front/packets");
                v.send("subscribe-all");
                // the first message the viewer gets is the second value, whole and valid against its schema
                assertTrue(v.awaitPrefix("first\t/front/packets\t").contains("json"), v.toString());
                Await.until("values keep coming", () -> {
                    try {
                        return count(v, "/front/packets") > 20;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, v::toString);
                assertFalse(v.has("invalid"), v.toString());
                assertEquals(1, view.stats().encodeFailures(), view.stats().toString());
            }
        }
    }
}
