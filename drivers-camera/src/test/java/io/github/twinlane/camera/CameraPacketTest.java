package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.VideoCodec;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A camera's packets, as delivered and undecoded, through a packet tap on the slow lane. */
class CameraPacketTest {
    @TempDir
    Path dir;

    record Packet(VideoCodec codec, long sequence, boolean key, int width, int height, byte[] bytes) {
    }

    private List<Packet> tapEveryPacket(Path file, int expected) throws Exception {
        List<Packet> seen = new CopyOnWriteArrayList<>();
        FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file))
                .realtime(false).build(), 0);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            // DROP_NEWEST with room for the whole clip: a slow test machine loses nothing, and a loss would show
            Tap tap = rt.concurrentScheduler().tapPackets(driver, TapConfig.of("packets").withCapacity(64)
                    .withPolicy(io.github.twinlane.BackpressurePolicy.DROP_NEWEST), (EncodedPacket p, long at) -> {
                        byte[] b = new byte[p.length()];
                        p.data().get(b);
                        seen.add(new Packet(p.codec(), p.sequence(), p.keyFrame(), p.width(), p.height(), b));
                    });
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam").build(), driver);
            Await.until("the end of the file", () -> driver.stats().endOfStream(), driver.stats()::toString);
            Await.until("every packet handed over", () -> seen.size() >= expected, tap.stats()::toString);
            assertEquals(expected, driver.stats().packets(), driver.stats().toString());
            assertEquals(expected, driver.stats().packetsHanded(), driver.stats().toString());
            assertEquals(0, tap.stats().dropped(), tap.stats().toString());
            assertTrue(cam.stats().dataReceived() <= expected, cam.stats().toString());
        }
        assertEquals(expected, seen.size());
        for (int i = 0; i < seen.size(); i++) {
            assertEquals(i, seen.get(i).sequence(), "packets arrive numbered in order");
        }
        return seen;
    }

    @Test
    void shouldHandOutEveryMjpegPacketAsACompleteJpegWithoutDecodingIt() throws Exception {
        Path file = VideoFiles.write(dir.resolve("m.mkv"), "mjpeg", 320, 240, 12, 30);
        List<Packet> seen = tapEveryPacket(file, 12);
        for (Packet p : seen) {
            assertEquals(VideoCodec.JPEG, p.codec());
            assertTrue(p.key(), "every JPEG is a key frame");
            assertEquals(320, p.width());
            assertEquals(240, p.height());
            byte[] b = p.bytes();
            assertEquals(0xFFD8, ((b[0] & 0xFF) << 8) | (b[1] & 0xFF), "starts with the JPEG start-of-image marker");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(b));
            assertEquals(320, img.getWidth());
            assertEquals(240, img.getHeight());
        }
    }

    @Test
    void shouldHandOutH264FromMatroskaAsAnnexBThatADecoderTakesWithNothingElse() throws Exception {
        int frames = 25;
        Path file = VideoFiles.write(dir.resolve("h.mkv"), "libopenh264", 320, 240, frames, 30);
        List<Packet> seen = tapEveryPacket(file, frames);
        assertTrue(seen.get(0).key(), "the first packet is a key frame");
        for (Packet p : seen) {
            assertEquals(VideoCodec.H264, p.codec());
            byte[] b = p.bytes();
            assertTrue(startCode(b, 0) > 0, "Annex B: the packet starts with a start code");
            if (p.key()) {
                assertTrue(nalTypes(b).contains(7), "a key frame carries its SPS: " + nalTypes(b));
                assertTrue(nalTypes(b).contains(5), "and an IDR slice: " + nalTypes(b));
            }
        }
        // a decoder given no extradata, only these packets, decodes every frame
        assertEquals(frames, decodeAnnexB(seen));
    }

    private static int startCode(byte[] b, int at) {
        if (at + 3 < b.length && b[at] == 0 && b[at + 1] == 0 && b[at + 2] == 0 && b[at + 3] == 1) {
            return 4;
        }
        return at + 2 < b.length && b[at] == 0 && b[at + 1] == 0 && b[at + 2] == 1 ? 3 : 0;
    }

    private static List<Integer> nalTypes(byte[] b) {
        List<Integer> types = new java.util.ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            int sc = startCode(b, i);
            if (sc > 0 && i + sc < b.length) {
                types.add(b[i + sc] & 0x1F);
                i += sc;
            }
        }
        return types;
    }

    private static int decodeAnnexB(List<Packet> packets) {
        AVCodec codec = avcodec_find_decoder(AV_CODEC_ID_H264);
        AVCodecContext ctx = avcodec_alloc_context3(codec);
        AVPacket pkt = av_packet_alloc();
        AVFrame frame = av_frame_alloc();
        int decoded = 0;
        try {
            assertEquals(0, avcodec_open2(ctx, codec, (AVDictionary) null));
            for (Packet p : packets) {
                assertEquals(0, av_new_packet(pkt, p.bytes().length));
                pkt.data().put(p.bytes());
                assertEquals(0, avcodec_send_packet(ctx, pkt), "the decoder takes packet " + p.sequence());
                while (avcodec_receive_frame(ctx, frame) == 0) {
                    assertEquals(320, frame.width());
                    decoded++;
                }
                org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
            }
            avcodec_send_packet(ctx, null); // drain
            while (avcodec_receive_frame(ctx, frame) == 0) {
                decoded++;
            }
        } finally {
            av_frame_free(frame);
            av_packet_free(pkt);
            avcodec_free_context(ctx);
        }
        return decoded;
    }

    @Test
    void shouldStopCopyingWhenTheTapCloses() throws Exception {
        Path file = VideoFiles.write(dir.resolve("c.mkv"), "mjpeg", 160, 120, 3, 30);
        FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file))
                .loopFile(true).build(), 0);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            List<Long> got = new CopyOnWriteArrayList<>();
            Tap tap = rt.concurrentScheduler().tapPackets(driver, TapConfig.of("p"), (p, at) -> got.add(p.sequence()));
            rt.open(ChannelConfig.slow("cam").build(), driver);
            Await.until("packets flow", () -> got.size() > 3, tap.stats()::toString);
            int threads = rt.liveThreads().size();
            tap.close();
            // a hand-over in progress at close completes; the reader counts the next packet only after it
            long atClose = driver.stats().packets();
            Await.until("the next packet is read", () -> driver.stats().packets() > atClose + 1, driver.stats()::toString);
            long handed = driver.stats().packetsHanded();
            Await.until("the camera keeps reading", () -> driver.stats().packets() > atClose + 5, driver.stats()::toString);
            assertEquals(handed, driver.stats().packetsHanded(), "nothing is copied once the tap closed");
            assertEquals(threads - 1, rt.liveThreads().size(), "the tap's thread ended");
        }
    }
}
