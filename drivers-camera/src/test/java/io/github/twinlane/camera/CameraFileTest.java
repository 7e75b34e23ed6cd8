package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.test.Await;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Files written by FFmpegFrameRecorder, read back through the driver on the slow lane. */
class CameraFileTest {
    @TempDir
    Path dir;

    record Seen(long sequence, int width, int height, PixelFormat format, double meanError) {
    }

    /** Mean absolute difference from the pattern over a grid of samples (the codecs are lossy). */
    static double meanError(VideoFrame f) {
        ByteBuffer px = f.pixels();
        long sum = 0;
        int n = 0;
        for (int y = 8; y < f.height() - 8; y += f.height() / 16) {
            for (int x = 8; x < f.width() - 8; x += f.width() / 16) {
                int v = px.get(y * f.stride() + x * f.format().bytesPerPixel()) & 0xFF;
                int want = VideoFiles.pattern(x, y, f.sequence());
                int d = Math.abs(v - want);
                sum += Math.min(d, 256 - d); // the pattern wraps at 255
                n++;
            }
        }
        return (double) sum / n;
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({"mjpeg,640,480", "mjpeg,1920,1080", "libopenh264,640,480", "libopenh264,1920,1080"})
    void shouldDeliverEveryFrameOfAFileIntactAndInOrder(String codec, int w, int h) throws Exception {
        Path file = VideoFiles.write(dir.resolve(codec + w + ".mkv"), codec, w, h, 30, 30);
        List<Seen> seen = new CopyOnWriteArrayList<>();
        FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file))
                .decodeOnDemand(false).build(), w * h * 3);
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("file")
                    .dataPolicy(BackpressurePolicy.BLOCK).blockTimeout(Duration.ofSeconds(5)).build(), driver,
                    (f, at) -> seen.add(new Seen(f.sequence(), f.width(), f.height(), f.format(), meanError(f))));
            Await.until("the end of the file", () -> driver.stats().endOfStream(), driver.stats()::toString);
            // every frame the driver read reaches the handler (BLOCK): wait for the last one, then count
            Await.until("every frame read is delivered", () -> cam.stats().dataDelivered() == cam.stats().dataReceived()
                    && seen.size() == cam.stats().dataDelivered(), cam.stats()::toString);
            assertEquals(30, seen.size(), cam.stats().toString());
        }
        double worst = 0;
        for (int i = 0; i < seen.size(); i++) {
            Seen s = seen.get(i);
            assertEquals(i, s.sequence());
            assertEquals(w, s.width());
            assertEquals(h, s.height());
            assertEquals(PixelFormat.BGR24, s.format());
            worst = Math.max(worst, s.meanError());
        }
        // the pattern moves by 8 per frame: under 6, each frame is the one written at its position
        assertTrue(worst < 6, "a frame differs from what was written by " + worst + " on average");
        assertEquals(new CameraStats(30, 30, 0, 0, true, 0, 0), driver.stats());
    }

    @Test
    void shouldScaleAndConvertToGrayOnRequest() throws Exception {
        Path file = VideoFiles.write(dir.resolve("g.mkv"), "mjpeg", 640, 480, 3, 30);
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file)).size(320, 240)
                .pixelFormat(PixelFormat.GRAY8).build(), 0);
        d.bind(() -> true);
        d.open();
        try {
            VideoFrame f = new VideoFrame(0);
            assertTrue(d.read(f));
            assertEquals(320, f.width());
            assertEquals(240, f.height());
            assertEquals(PixelFormat.GRAY8, f.format());
            assertEquals(320, f.stride());
        } finally {
            d.close();
        }
    }

    @Test
    void shouldDeliverTheDecodersOwnFormatWhenAskedAsDelivered() throws Exception {
        Path file = VideoFiles.write(dir.resolve("yuv.mkv"), "mjpeg", 640, 480, 3, 30);
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file)).asDelivered().build(), 0);
        d.open();
        try {
            VideoFrame f = new VideoFrame(0);
            assertTrue(d.read(f));
            assertEquals(PixelFormat.I420, f.format(), "MJPEG decodes to 4:2:0 YUV, handed over unconverted");
            assertEquals(640, f.stride());
            assertEquals(640 * 480 * 3 / 2, f.length());
            // the pattern is grey, so luma is close to the pattern itself
            int y = f.pixels().get(100 * 640 + 200) & 0xFF;
            assertTrue(Math.abs(y - VideoFiles.pattern(200, 100, 0)) < 8, "Y at (200,100): " + y);
        } finally {
            d.close();
        }
        FfmpegCameraDriver scaled = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file)).size(320, 240)
                .pixelFormat(PixelFormat.I420).build(), 0);
        scaled.open();
        try {
            VideoFrame f = new VideoFrame(0);
            assertTrue(scaled.read(f));
            assertEquals(PixelFormat.I420, f.format());
            assertEquals(320 * 240 * 3 / 2, f.length());
            int u = f.pixels().get(320 * 240 + 10) & 0xFF;
            assertTrue(Math.abs(u - 128) < 8, "a grey picture has neutral chroma: U = " + u);
        } finally {
            scaled.close();
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CameraConfig.of(new CameraSource.File(file)).asDelivered().size(320, 240).build());
        assertTrue(e.getMessage().startsWith("asDelivered must not be combined with a size"), e.getMessage());
    }

    @Test
    void shouldWriteSnapshotsAPersonCanOpen() throws Exception {
        Path file = VideoFiles.write(dir.resolve("s.mkv"), "mjpeg", 640, 480, 2, 30);
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(file)).build(), 0);
        d.open();
        VideoFrame f = new VideoFrame(0);
        try {
            assertTrue(d.read(f));
        } finally {
            d.close();
        }
        for (String name : List.of("snap.png", "snap.jpg")) {
            Path out = dir.resolve("shots").resolve(name);
            Snapshots.write(f, out);
            BufferedImage img = ImageIO.read(out.toFile());
            assertEquals(640, img.getWidth());
            assertEquals(480, img.getHeight());
            int grey = img.getRaster().getSample(100, 100, 0);
            assertTrue(Math.abs(grey - VideoFiles.pattern(100, 100, 0)) < 10, name + ": " + grey);
            assertTrue(Files.size(out) > 1000);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Snapshots.write(f, dir.resolve("x.gif")));
        assertTrue(e.getMessage().contains(".png, .jpg or .jpeg"), e.getMessage());
    }

    @Test
    void shouldSayWhyAMissingFileCannotOpen() {
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(dir.resolve("none.mkv")))
                .build(), 0);
        java.io.IOException e = assertThrows(java.io.IOException.class, d::open);
        assertTrue(e.getMessage().contains("none.mkv") && e.getMessage().contains("No such file"), e.getMessage());
        d.close();
    }
}
