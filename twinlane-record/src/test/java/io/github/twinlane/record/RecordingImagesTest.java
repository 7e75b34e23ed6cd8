package io.github.twinlane.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.Subscription;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.test.Await;
import io.github.twinlane.test.NodePeer;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketListener;
import io.github.twinlane.video.PacketSource;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoCodec;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camera images recorded in Foxglove's schemas: a camera's own packets untouched, simulated frames raw
 * and JPEG-compressed; read back by twinlane and checked by Ajv and the MCAP library under Node.js.
 */
class RecordingImagesTest {
    @TempDir
    Path dir;

    /** A camera that hands out the packets the test gives it, on the test's thread. */
    static final class FakeCamera implements PacketSource {
        final List<PacketListener> listeners = new CopyOnWriteArrayList<>();
        final EncodedPacket packet = new EncodedPacket(0);
        long sequence;

        @Override
        public String describe() {
            return "fake-camera";
        }

        @Override
        public Subscription onPacket(PacketListener listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        void send(VideoCodec codec, byte[] bytes, boolean key) {
            packet.prepare(codec, bytes.length, key, 64, 48).put(0, bytes);
            packet.stamp(sequence++, System.nanoTime(), 0);
            for (PacketListener l : listeners) {
                l.onPacket(packet);
            }
        }
    }

    static byte[] jpeg(int w, int h, int shade) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 4 + shade) & 0xFF) << 16 | ((y * 4) & 0xFF) << 8 | shade & 0xFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "jpeg", out));
        return out.toByteArray();
    }

    @Test
    void shouldRecordEveryKindOfImageSoTwinlaneAndTheFormatsOwnToolsReadIt() throws Exception {
        Path file = dir.resolve("images.mcap");
        FakeCamera mjpeg = new FakeCamera();
        FakeCamera h264 = new FakeCamera();
        List<byte[]> jpegs = new ArrayList<>();
        List<byte[]> units = new ArrayList<>();
        Recording rec;
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            DeviceChannel<NoCommand, VideoFrame> sim = rt.open(ChannelConfig.slow("sim").build(),
                    new SimulatedCamera("sim", 64, 48, 30, PixelFormat.BGR24, Duration.ZERO));
            rec = Recording.start(rt, RecordingConfig.to(file))
                    .packets("mjpeg", mjpeg, ImageCodecs.compressedImage("mjpeg"))
                    .packets("h264", h264, ImageCodecs.forPackets(VideoCodec.H264, "h264"))
                    .data(sim, ImageCodecs.jpeg("sim", 0.8f), Duration.ofMillis(100)); // at most 10 frames/s
            DeviceChannel<NoCommand, VideoFrame> raw = rt.open(ChannelConfig.slow("raw").build(),
                    new SimulatedCamera("raw", 32, 24, 30, PixelFormat.GRAY8, Duration.ZERO));
            rec.data(raw, ImageCodecs.rawImage("raw"));
            for (int i = 0; i < 10; i++) {
                byte[] j = jpeg(64, 48, i * 20);
                jpegs.add(j);
                mjpeg.send(VideoCodec.JPEG, j, true);
                byte[] unit = {0, 0, 0, 1, (byte) (i == 0 ? 0x67 : 0x41), (byte) i, 2, 3};
                units.add(unit);
                h264.send(VideoCodec.H264, unit, i == 0);
                int sent = i + 1;
                Await.until("packet " + i + " written", () -> rec.stats().written() >= 2L * sent, rec.stats()::toString);
            }
            Await.until("frames of both simulated cameras", () -> count(rec, "/sim/data") >= 3
                    && count(rec, "/raw/data") >= 3, rec.stats()::toString);
        } // closing the runtime finishes the recording
        assertEquals(0, rec.stats().failed(), rec.stats().toString());
        RecordingStats.Stream simStats = rec.stats().streams().stream().filter(s -> s.topic().equals("/sim/data"))
                .findFirst().orElseThrow();
        assertTrue(simStats.thinned() > 0, simStats.toString());
        assertEquals(simStats.offered(), simStats.written() + simStats.dropped() + simStats.thinned(), simStats.toString());

        // twinlane reads back exactly what the cameras sent, and decodes the frames it compressed
        Map<String, List<byte[]>> packets = new HashMap<>();
        List<VideoFrame> simFrames = new ArrayList<>();
        List<VideoFrame> rawFrames = new ArrayList<>();
        List<Long> simTimes = new ArrayList<>();
        try (McapReader r = McapReader.open(file)) {
            r.read(new McapVisitor() {
                @Override
                public void message(McapChannel c, McapMessage m) {
                    switch (c.topic()) {
                        case "/sim/data": {
                            VideoFrame f = new VideoFrame(0);
                            assertTrue(ImageCodecs.jpeg("sim", 0.8f).decode(m.data(), 0, m.data().length, f));
                            simFrames.add(f);
                        simTimes.add(m.publishTime());
                            break;
                        }
                        case "/raw/data": {
                            VideoFrame f = new VideoFrame(0);
                            assertTrue(ImageCodecs.rawImage("raw").decode(m.data(), 0, m.data().length, f));
                            rawFrames.add(f);
                            break;
                        }
                        default: {
                            EncodedPacket p = new EncodedPacket(0);
                            RecordCodec<EncodedPacket> codec = c.topic().startsWith("/mjpeg")
                                    ? ImageCodecs.compressedImage("x") : ImageCodecs.compressedVideo("x");
                            assertTrue(codec.decode(m.data(), 0, m.data().length, p), c.topic());
                            assertEquals(c.topic().startsWith("/mjpeg") ? VideoCodec.JPEG : VideoCodec.H264, p.codec());
                            byte[] b = new byte[p.length()];
                            p.data().get(b);
                            packets.computeIfAbsent(c.topic(), t -> new ArrayList<>()).add(b);
                        }
                    }
                }
            });
        }
        assertEquals(10, packets.get("/mjpeg/packets").size());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(jpegs.get(i), packets.get("/mjpeg/packets").get(i), "JPEG " + i + " is stored untouched");
            assertArrayEquals(units.get(i), packets.get("/h264/packets").get(i), "access unit " + i);
        }
        for (int i = 1; i < simTimes.size(); i++) {
            assertTrue(simTimes.get(i) - simTimes.get(i - 1) >= 100_000_000L, "thinned to one frame per 100 ms: "
                    + simTimes);
        }
        for (VideoFrame f : simFrames) {
            assertEquals(64, f.width());
            assertEquals(48, f.height());
            assertEquals(PixelFormat.BGR24, f.format());
        }
        for (VideoFrame f : rawFrames) {
            assertEquals(32, f.width());
            assertEquals(PixelFormat.GRAY8, f.format());
        }

        // the format's own library reads the file; Ajv finds every message valid against its schema
        NodePeer peer = NodePeer.prepare(Path.of("src", "test", "node"));
        List<String> lines = peer.run(Duration.ofSeconds(120), "json-check.mjs", file.toString());
        int images = 0;
        int video = 0;
        int raw = 0;
        for (String line : lines) {
            String[] f = line.split("\t");
            assertFalse(f[0].equals("invalid"), line);
            if (f[0].equals("image")) {
                assertEquals("jpeg", f[2], line);
                assertEquals("64", f[3], line);
                assertEquals("48", f[4], line);
                images++;
            } else if (f[0].equals("video")) {
                assertEquals("h264", f[2], line);
                assertTrue(f[3].startsWith("00000001"), line);
                video++;
            } else if (f[0].equals("raw")) {
                assertEquals("mono8\t32\t24\t32\ttrue", String.join("\t", List.of(f).subList(2, 7)), line);
                raw++;
            }
        }
        assertEquals(10 + simFrames.size(), images, String.join("\n", lines));
        assertEquals(10, video);
        assertEquals(rawFrames.size(), raw);
        assertEquals("checked\t" + (20 + simFrames.size() + rawFrames.size()), lines.get(lines.size() - 1));
    }

    private static long count(Recording rec, String topic) {
        return rec.stats().streams().stream().filter(s -> s.topic().equals(topic)).mapToLong(s -> s.written()).sum();
    }

    @Test
    void shouldRefuseAPacketOfTheWrongKindNamingTheCodecToUse() throws Exception {
        FakeCamera cam = new FakeCamera();
        Recording rec;
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            rec = Recording.start(rt, RecordingConfig.to(dir.resolve("wrong.mcap")))
                    .packets("cam", cam, ImageCodecs.compressedImage("cam"));
            cam.send(VideoCodec.H264, new byte[] {0, 0, 0, 1, 0x65}, true);
            cam.send(VideoCodec.JPEG, jpeg(8, 8, 0), true);
            Await.until("both handled", () -> rec.stats().failed() + rec.stats().written() == 2, rec.stats()::toString);
        }
        assertEquals(1, rec.stats().failed());
        assertEquals(1, rec.stats().written());
        // the refusal left nothing half-written behind: the next value is a whole, valid message
        List<Boolean> decoded = new ArrayList<>();
        try (McapReader r = McapReader.open(dir.resolve("wrong.mcap"))) {
            r.read(new McapVisitor() {
                @Override
                public void message(McapChannel c, McapMessage m) {
                    decoded.add(ImageCodecs.compressedImage("cam").decode(m.data(), 0, m.data().length,
                            new EncodedPacket(0)));
                }
            });
        }
        assertEquals(List.of(true), decoded);
        EncodedPacket p = new EncodedPacket(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.prepare(VideoCodec.H264, 1, true, 0, 0);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ImageCodecs.compressedImage("cam").encode(p, out));
        assertTrue(e.getMessage().contains("ImageCodecs.compressedVideo"), e.getMessage());
        VideoFrame i420 = new VideoFrame(0);
        i420.prepare(4, 4, 4, PixelFormat.I420);
        e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ImageCodecs.rawImage("cam").encode(i420, out));
        assertTrue(e.getMessage().contains("ImageCodecs.jpeg"), e.getMessage());
    }
}
