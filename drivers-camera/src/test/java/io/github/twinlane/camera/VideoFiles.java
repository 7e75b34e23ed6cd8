package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Writes test videos with JavaCV's FFmpegFrameRecorder: a smooth pattern that moves with the frame number. */
final class VideoFiles {
    private VideoFiles() {
    }

    /** The pattern's value at (x, y) of frame i, for every channel. */
    static int pattern(int x, int y, long i) {
        return (int) ((x / 4 + y / 4 + 8 * i) & 0xFF);
    }

    static Path write(Path file, String codec, int w, int h, int frames, int fps) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), w, h, 0)) {
            rec.setFormat("matroska");
            rec.setVideoCodecName(codec);
            rec.setFrameRate(fps);
            rec.setPixelFormat(codec.equals("mjpeg") ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P);
            rec.setVideoQuality(codec.equals("mjpeg") ? 2 : -1);
            rec.setVideoBitrate(codec.equals("mjpeg") ? 0 : 8_000_000);
            rec.setGopSize(10);
            rec.start();
            Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) f.image[0];
            int stride = f.imageStride;
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        byte v = (byte) pattern(x, y, i);
                        int at = y * stride + 3 * x;
                        buf.put(at, v).put(at + 1, v).put(at + 2, v);
                    }
                }
                rec.record(f, AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
        return file;
    }
}
