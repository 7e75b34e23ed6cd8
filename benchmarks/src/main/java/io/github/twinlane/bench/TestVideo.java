package io.github.twinlane.bench;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** The camera load: a 1920x1080 MJPEG clip with detail in every frame, written once per run. */
final class TestVideo {
    private TestVideo() {
    }

    static Path mjpeg1080(Path dir) throws Exception {
        Path file = dir.resolve("bench-1080p-mjpeg.mkv");
        if (Files.exists(file)) {
            return file;
        }
        int w = 1920;
        int h = 1080;
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), w, h, 0)) {
            rec.setFormat("matroska");
            rec.setVideoCodecName("mjpeg");
            rec.setPixelFormat(AV_PIX_FMT_YUVJ420P);
            rec.setVideoQuality(3);
            rec.setFrameRate(30);
            rec.start();
            Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) f.image[0];
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
            for (int i = 0; i < 60; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int at = y * f.imageStride + 3 * x;
                        int base = (x + y + 4 * i) & 0xFF;
                        buf.put(at, (byte) (base ^ (rnd.nextInt(24))));
                        buf.put(at + 1, (byte) ((x * 3 + i) & 0xFF));
                        buf.put(at + 2, (byte) ((y * 2 - i) & 0xFF));
                    }
                }
                rec.record(f, AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return file;
    }
}
