package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live streams from the ffmpeg CLI, dying streams, hung streams, and open/close cycles. */
class CameraLiveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;

    @BeforeAll
    static void rig() {
        LiveStream.requireFfmpeg();
    }

    static void await(String what, BooleanSupplier c, Object state) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + ": " + state);
            }
            Thread.sleep(5);
        }
    }

    private static ChannelConfig slow(String name) {
        return ChannelConfig.slow(name).backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))).build();
    }

    @Test
    void shouldGiveASlowConsumerOnlyFreshFramesAndDecodeOnlyWhatItTakes() throws Exception {
        try (LiveStream live = new LiveStream(640, 480); TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.Stream(live.url()))
                    .ioTimeout(Duration.ofMillis(1000)).build(), 640 * 480 * 3);
            List<Long> ages = new CopyOnWriteArrayList<>();
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(slow("live"), driver, (f, at) -> {
                ages.add(f.ageNanos(System.nanoTime()));
                Thread.sleep(100); // a 10 frames/s consumer of a 30 frames/s camera
            });
            await("20 frames", () -> ages.size() >= 20, cam.stats());
            CameraStats s = driver.stats();
            assertTrue(s.decoded() * 2 < s.packets(), "decode on demand: " + s);
            assertTrue(s.skippedUndecoded() > 0, s.toString());
            for (long age : ages.subList(3, ages.size())) {
                // a backlog would age by ~70 ms per delivery (100 ms handler, 30 ms frames): 250 ms tells them apart
                assertTrue(age < Duration.ofMillis(250).toNanos(),
                        "a slow consumer gets the newest frame, decoded just for it, not one that waited: " + ages);
            }
        }
    }

    @Test
    void shouldReconnectACameraThatDiedWhileAnotherKeepsDelivering() throws Exception {
        Path file = VideoFiles.write(dir.resolve("loop.mkv"), "mjpeg", 320, 240, 30, 30);
        LiveStream live = new LiveStream(320, 240);
        TwinlaneRuntime rt = TwinlaneRuntime.builder().build();
        try {
            List<Long> liveFrames = new CopyOnWriteArrayList<>();
            List<Long> fileFrames = new CopyOnWriteArrayList<>();
            List<ChannelState> states = new CopyOnWriteArrayList<>();
            DeviceChannel<NoCommand, VideoFrame> a = rt.open(slow("live"), new FfmpegCameraDriver(
                    CameraConfig.of(new CameraSource.Stream(live.url())).ioTimeout(Duration.ofMillis(500)).build(), 0),
                    (f, at) -> liveFrames.add(f.sequence()));
            a.onStateChange((n, from, to, cause) -> states.add(to));
            DeviceChannel<NoCommand, VideoFrame> b = rt.open(slow("file"), new FfmpegCameraDriver(
                    CameraConfig.of(new CameraSource.File(file)).loopFile(true).build(), 0), (f, at) -> {
                        fileFrames.add(f.sequence());
                        Thread.sleep(30); // paced like a camera
                    });
            await("the live camera streams", () -> liveFrames.size() > 15, a.stats());
            live.kill();
            long killed = System.nanoTime();
            await("reconnecting after the stream died", () -> a.state() == ChannelState.RECONNECTING, a.stats());
            long took = System.nanoTime() - killed;
            assertTrue(took < Duration.ofMillis(500 + 1500).toNanos(), "within the I/O timeout plus slack: " + took / 1e6 + " ms");
            int fileBefore = fileFrames.size();
            await("the other camera keeps delivering", () -> fileFrames.size() > fileBefore + 10, b.stats());
            assertEquals(ChannelState.OPEN, b.state());
            assertTrue(states.contains(ChannelState.RECONNECTING));
        } finally {
            rt.close();
            live.close();
        }
        assertEquals(List.of(), rt.liveThreads(), "no thread of ours survives close");
        for (io.github.twinlane.ChannelStats st : rt.channelStats()) {
            assertEquals(st.dataReceived(), st.dataDelivered() + st.dataDropped(), st.toString());
        }
    }

    @Test
    void shouldCutAStreamThatConnectsAndThenSaysNothing() throws Exception {
        try (ServerSocket silent = new ServerSocket(0); TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accept and never send a byte
                    }
                } catch (IOException closed) {
                    // the test ended
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(
                    new CameraSource.Stream("tcp://127.0.0.1:" + silent.getLocalPort())).ioTimeout(Duration.ofMillis(300))
                    .build(), 0);
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(slow("silent"), driver, (f, at) -> { });
            await("two connection attempts were cut by the timeout", () -> accepted.size() >= 2, cam.stats());
            assertEquals(ChannelState.RECONNECTING, cam.state());
            long start = System.nanoTime();
            cam.close();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "close is bounded");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    private static int nativeThreads() throws IOException {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        }
    }

    @Test
    void shouldLeaveNoThreadsAndBoundedNativeMemoryAfter100OpenCloseCycles() throws Exception {
        Path file = VideoFiles.write(dir.resolve("c.mkv"), "mjpeg", 640, 480, 5, 30);
        CameraConfig cfg = CameraConfig.of(new CameraSource.File(file)).decodeThreads(2).build();
        VideoFrame f = new VideoFrame(640 * 480 * 3);
        for (int i = 0; i < 5; i++) { // warm up: class loading, JIT, FFmpeg's lazy tables
            FfmpegCameraDriver d = new FfmpegCameraDriver(cfg, 0);
            d.open();
            d.read(f);
            d.close();
        }
        System.gc();
        int threads = nativeThreads();
        long tracked = Pointer.totalBytes();
        long rss = Pointer.physicalBytes();
        List<Long> rssAfter = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FfmpegCameraDriver d = new FfmpegCameraDriver(cfg, 0);
            d.open();
            assertTrue(d.read(f));
            d.close();
            if (i % 25 == 24) {
                rssAfter.add(Pointer.physicalBytes());
            }
        }
        System.gc();
        Thread.sleep(100);
        assertEquals(threads, nativeThreads(), "FFmpeg's decoder threads end with each close");
        assertTrue(Pointer.totalBytes() - tracked < 1 << 20, "JavaCPP-tracked native memory is back to where it was: "
                + (Pointer.totalBytes() - tracked));
        assertTrue(rssAfter.get(3) - rss < 64L << 20, "resident memory grew by "
                + (rssAfter.get(3) - rss) / (1 << 20) + " MB over 100 cycles: " + rssAfter);
    }
}
