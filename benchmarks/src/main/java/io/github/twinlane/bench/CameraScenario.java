package io.github.twinlane.bench;

import io.github.twinlane.ChannelConfig;
import io.github.twinlane.CpuPlan;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.camera.CameraConfig;
import io.github.twinlane.camera.CameraSource;
import io.github.twinlane.camera.FfmpegCameraDriver;
import io.github.twinlane.video.VideoFrame;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/** Scenario 5b: camera decoding, against a bare FFmpegFrameGrabber loop over the same file. */
final class CameraScenario {
    private static final int FRAMES = 120;

    private CameraScenario() {
    }

    /** JavaCV's grabber turns FFmpeg's logging back up; keep the run's output readable. */
    static void quiet() {
        org.bytedeco.ffmpeg.global.avutil.av_log_set_level(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long allocatedAllThreads() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    /** Decode throughput of the bare grabber: frames/s, one decode thread, BGR24 output. */
    static double bareThroughput(Path video) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.setVideoOption("threads", "1");
            g.start();
            quiet();
            long t0 = System.nanoTime();
            int n = 0;
            while (n < FRAMES) {
                Frame f = g.grabImage();
                if (f == null) {
                    g.setFrameNumber(0);
                    continue;
                }
                n++;
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Decode throughput of the driver: frames/s, one decode thread, BGR24 into a pooled frame. */
    static double driverThroughput(Path video) throws Exception {
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.File(video)).loopFile(true)
                .decodeOnDemand(false).build(), 1920 * 1080 * 3);
        d.open();
        try {
            VideoFrame f = new VideoFrame(1920 * 1080 * 3);
            long t0 = System.nanoTime();
            int n = 0;
            while (n < FRAMES) {
                if (d.read(f)) {
                    n++;
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            d.close();
        }
    }

    record Consumed(double cpuMsPerFrame, double bytesPerFrame, long frames) {
    }

    /** A 5 frames/s consumer of the clip played at 30 frames/s through a slow-lane channel (decode on demand). */
    static Consumed driverConsumer(Settings s, Path video, long consumerPauseMs) throws Exception {
        AtomicLong frames = new AtomicLong();
        try (TwinlaneRuntime rt = TwinlaneRuntime.builder().cpuPlan(CpuPlan.OFF).build()) {
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(ChannelConfig.slow("cam").build(), new FfmpegCameraDriver(
                    CameraConfig.of(new CameraSource.File(video)).loopFile(true).realtime(true).build(), 1920 * 1080 * 3),
                    (f, at) -> {
                        frames.incrementAndGet();
                        if (consumerPauseMs > 0) {
                            Thread.sleep(consumerPauseMs);
                        }
                    });
            Thread.sleep(s.warmup().toMillis() + 500);
            long f0 = frames.get();
            long c0 = cpu();
            long a0 = allocatedAllThreads();
            Thread.sleep(Math.max(2000, s.trial().toMillis()));
            long n = frames.get() - f0;
            double cpuMs = (cpu() - c0) / 1e6 / Math.max(1, n);
            double bytes = (allocatedAllThreads() - a0) / (double) Math.max(1, n);
            cam.close();
            return new Consumed(cpuMs, bytes, n);
        }
    }

    /** The same consumer on a bare grabber: a thread grabs every frame at 30 frames/s, the consumer takes the newest. */
    static Consumed bareConsumer(Settings s, Path video) throws Exception {
        AtomicReference<Frame> newest = new AtomicReference<>();
        AtomicLong taken = new AtomicLong();
        Thread grabber = new Thread(() -> {
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
                g.setVideoOption("threads", "1");
                g.start();
                quiet();
                long start = System.nanoTime();
                long k = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    Frame f = g.grabImage();
                    if (f == null) {
                        g.setFrameNumber(0);
                        continue;
                    }
                    newest.set(f.clone()); // the usual way to keep a frame past the next grab
                    long due = start + (++k) * 33_333_333L;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                // stop
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "bare-grabber");
        grabber.start();
        Thread consumer = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    if (newest.getAndSet(null) != null) {
                        taken.incrementAndGet();
                    }
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                // stop
            }
        }, "bare-consumer");
        consumer.start();
        try {
            Thread.sleep(s.warmup().toMillis() + 500);
            long f0 = taken.get();
            long c0 = cpu();
            Thread.sleep(Math.max(2000, s.trial().toMillis()));
            long n = taken.get() - f0;
            return new Consumed((cpu() - c0) / 1e6 / Math.max(1, n), Double.NaN, n);
        } finally {
            grabber.interrupt();
            consumer.interrupt();
            grabber.join(5000);
            consumer.join(5000);
        }
    }

    static void run(Settings s, Report r) throws Exception {
        r.section("5b. Camera decoding");
        Path dir = Files.createTempDirectory("twinlane-camera");
        BenchmarkSuite.progress("camera", "writing the 1080p MJPEG clip");
        Path video = TestVideo.mjpeg1080(dir);
        r.para("The 1920×1080 MJPEG clip of the isolation scenario. Throughput: " + FRAMES + " frames decoded to BGR24 "
                + "as fast as possible with one decoder thread, by a bare FFmpegFrameGrabber loop and by the driver. "
                + "CPU per consumed frame: the clip played at its real-time 30 frames/s to a consumer that takes a frame, "
                + "then needs 200 ms (5 frames/s): the driver on a slow-lane channel (decode on demand) against a bare "
                + "grabber thread that decodes every frame and hands over the newest; process CPU time over the window "
                + "divided by frames consumed. Heap: bytes allocated by all threads per delivered frame, driver on a "
                + "slow-lane channel with a consumer that takes every frame.");
        Trials bare = new Trials();
        Trials drv = new Trials();
        Trials cpuDrv = new Trials();
        Trials cpuBare = new Trials();
        Trials heap = new Trials();
        for (int i = 0; i < s.trials(); i++) {
            BenchmarkSuite.progress("camera", "decode throughput trial " + (i + 1) + "/" + s.trials());
            bare.add(bareThroughput(video));
            drv.add(driverThroughput(video));
            BenchmarkSuite.progress("camera", "5 frames/s consumer trial " + (i + 1) + "/" + s.trials());
            cpuDrv.add(driverConsumer(s, video, 200).cpuMsPerFrame());
            cpuBare.add(bareConsumer(s, video).cpuMsPerFrame());
            BenchmarkSuite.progress("camera", "heap per frame trial " + (i + 1) + "/" + s.trials());
            heap.add(driverConsumer(s, video, 0).bytesPerFrame());
        }
        r.table(List.of("measure", "driver", "bare grabber", "ratio"), List.of(
                List.of("decode throughput (frames/s)", Report.num(drv), Report.num(bare), Report.ratio(drv.median(), bare.median())),
                List.of("CPU per consumed frame, 5 fps consumer of 30 fps (ms)", Report.num(cpuDrv), Report.num(cpuBare),
                        Report.ratio(cpuDrv.median(), cpuBare.median())),
                List.of("heap allocated per delivered frame (bytes, all threads)", Report.num(heap), "–", "–")));
        r.target("camera", "driver decode throughput / bare grabber", drv.median() / bare.median(), 0.9, false);
        r.target("camera", "driver CPU per consumed frame / bare grabber (5 fps consumer)", cpuDrv.median() / cpuBare.median(), 0.3, true);
        r.target("camera", "heap bytes per delivered frame", heap.median(), 1024, true);
    }
}
