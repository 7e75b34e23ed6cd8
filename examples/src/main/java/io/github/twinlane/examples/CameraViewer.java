package io.github.twinlane.examples;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LatencySummary;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.camera.CameraConfig;
import io.github.twinlane.camera.CameraSource;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.camera.Snapshots;
import io.github.twinlane.foxglove.FoxgloveConfig;
import io.github.twinlane.foxglove.FoxgloveServer;
import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.sim.SimulatedCamera;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.video.PacketSource;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Watches one or more cameras on the slow lane, newest frame first: once a second it writes a PNG
 * snapshot per camera that a person can open, and prints frames/s and frame age; {@code --record}
 * writes a short clip of the first camera.
 *
 * <pre>
 *   --camera SRC    /dev/video0, 0, a file or an rtsp:// http:// tcp:// URL; repeatable (default: a simulated camera)
 *   --out DIR       where snapshots go (default snapshots)
 *   --record FILE   record the first camera to FILE (.mp4: H.264, .mkv: MJPEG)
 *   --duration S    run time (default 5)
 *   --foxglove PORT also serve the cameras to Foxglove on ws://127.0.0.1:PORT (0: any free port): a real
 *                   camera's own JPEGs, a simulated camera's frames JPEG-compressed 5 times a second
 * </pre>
 */
public final class CameraViewer {
    private static final String USAGE = "CameraViewer [--camera SRC ]... [--out DIR ] [--record FILE ] [--duration S ] "
            + "[--foxglove PORT ]";

    private CameraViewer() {
    }

    /** One camera's newest frame, kept for snapshots and recording, and its counters. */
    private static final class View {
        final String name;
        final VideoFrame newest = new VideoFrame(0);
        final AtomicLong frames = new AtomicLong();
        final Recorder age = new Recorder(3);
        long newestSeen = -1;

        View(String name) {
            this.name = name;
        }

        /** On the slow lane's loop thread: keep a copy of the frame (the slot is reused after this call). */
        synchronized void take(VideoFrame f) {
            f.copyTo(newest);
            frames.incrementAndGet();
            age.recordValue(Math.max(0, f.ageNanos(System.nanoTime())));
        }

        synchronized boolean copyNewest(VideoFrame into) {
            if (newest.sequence() < 0 || newest.sequence() == newestSeen) {
                return false;
            }
            newestSeen = newest.sequence();
            newest.copyTo(into);
            return true;
        }
    }

    /**
     * Runs the example.
     *
     * @param args see the class comment
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        Args a = new Args(args, USAGE);
        int seconds = a.number("--duration", 5, 1, 86_400);
        Path out = Path.of(a.text("--out", "snapshots"));
        String record = a.text("--record", null);
        List<String> sources = a.all("--camera");
        int foxglovePort = a.number("--foxglove", -1, 0, 65_535);
        List<View> views = new ArrayList<>();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            List<DeviceChannel<NoCommand, VideoFrame>> cams = new ArrayList<>();
            List<DeviceDriver<NoCommand, VideoFrame>> drivers = new ArrayList<>();
            int n = Math.max(1, sources.size());
            for (int i = 0; i < n; i++) {
                DeviceDriver<NoCommand, VideoFrame> driver = sources.isEmpty()
                        ? new SimulatedCamera("sim-camera", 640, 480, 30, PixelFormat.BGR24, Duration.ZERO)
                        : new FfmpegCameraDriver(CameraConfig.of(CameraSource.parse(sources.get(i))).build(), 1920 * 1080 * 3);
                View v = new View("cam" + i);
                views.add(v);
                cams.add(rt.open(ChannelConfig.slow(v.name).build(), driver, (f, at) -> v.take(f)));
                System.out.println(v.name + ": " + (sources.isEmpty() ? "simulated 640x480@30" : sources.get(i)));
                if (foxglovePort >= 0) {
                    drivers.add(driver);
                }
            }
            if (foxglovePort >= 0) {
                FoxgloveServer view = FoxgloveServer.start(rt, FoxgloveConfig.loopback().withPort(foxglovePort));
                for (int i = 0; i < n; i++) {
                    if (drivers.get(i) instanceof PacketSource camera) {
                        view.publishPackets(cams.get(i).name(), camera, ImageCodecs.compressedImage(cams.get(i).name()));
                    } else {
                        view.publishFrames(cams.get(i));
                    }
                }
                System.out.println("live view: in Foxglove, Open connection > Foxglove WebSocket > " + view.url());
            }
            Thread recorder = record == null ? null : startRecording(views.get(0), Path.of(record), seconds);
            VideoFrame shot = new VideoFrame(0);
            long[] last = new long[n];
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(1000);
                for (int i = 0; i < n; i++) {
                    View v = views.get(i);
                    String snap = "no frame yet";
                    synchronized (v) {
                        if (v.newest.sequence() >= 0) {
                            v.newest.copyTo(shot);
                        }
                    }
                    if (shot.sequence() >= 0) {
                        Path file = out.resolve(v.name + ".png");
                        Snapshots.write(shot, file);
                        snap = file + " (" + shot.width() + "x" + shot.height() + ")";
                    }
                    long f = v.frames.get();
                    System.out.printf(Locale.ROOT, "t=%ds %s %s %d frames/s, age %s, snapshot %s%n", s, v.name,
                            cams.get(i).state(), f - last[i], Percentiles.of(v.age.getIntervalHistogram()), snap);
                    last[i] = f;
                }
            }
            if (recorder != null) {
                recorder.interrupt();
                recorder.join(10_000);
            }
            for (DeviceChannel<NoCommand, VideoFrame> c : cams) {
                System.out.println(c.stats());
            }
        }
    }

    /** Encodes the first camera's newest frames on a thread of its own, never on the slow lane's loop. */
    private static Thread startRecording(View v, Path file, int seconds) {
        Thread t = new Thread(() -> {
            VideoFrame f = new VideoFrame(0);
            FFmpegFrameRecorder rec = null;
            long frames = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (!v.copyNewest(f)) {
                        Thread.sleep(5);
                        continue;
                    }
                    if (rec == null) {
                        boolean mp4 = file.toString().toLowerCase(Locale.ROOT).endsWith(".mp4");
                        rec = new FFmpegFrameRecorder(file.toString(), f.width(), f.height(), 0);
                        rec.setFormat(mp4 ? "mp4" : "matroska");
                        rec.setVideoCodecName(mp4 ? "libopenh264" : "mjpeg");
                        rec.setPixelFormat(mp4 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUVJ420P);
                        rec.setVideoBitrate(4_000_000);
                        rec.setFrameRate(30);
                        rec.start();
                    }
                    Frame frame = new Frame(f.width(), f.height(), Frame.DEPTH_UBYTE, 3);
                    ByteBuffer dst = (ByteBuffer) frame.image[0];
                    ByteBuffer src = f.pixels();
                    for (int y = 0; y < f.height(); y++) {
                        dst.put(y * frame.imageStride, src, y * f.stride(), f.width() * 3);
                    }
                    rec.record(frame, AV_PIX_FMT_BGR24);
                    frames++;
                }
            } catch (InterruptedException e) {
                // the run ended
            } catch (Exception e) {
                System.out.println("recording failed: " + e);
            } finally {
                if (rec != null) {
                    try {
                        rec.close();
                    } catch (Exception e) {
                        System.out.println("recording failed to finish: " + e);
                    }
                }
                System.out.println("recorded " + frames + " frames to " + file);
            }
        }, "recorder");
        t.start();
        return t;
    }
}
