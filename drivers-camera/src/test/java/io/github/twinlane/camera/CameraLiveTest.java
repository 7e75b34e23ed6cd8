package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.Backoff;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.test.Await;
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

    static void await(String what, BooleanSupplier c, Object state) {
        Await.until(what, c, String.valueOf(state)::toString);
    }

    private static ChannelConfig slow(String name) {
        return ChannelConfig.slow(name).backoff(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200))).build();
    }

    @Test
    void shouldGiveASlowConsumerOnlyFreshFramesAndDecodeOnlyWhatItTakes() throws Exception {
        try (LiveStream live = new LiveStream(640, 480); TwinlaneRuntime rt = TwinlaneRuntime.builder().build()) {
            FfmpegCameraDriver driver = new FfmpegCameraDriver(CameraConfig.of(new CameraSource.Stream(live.url()))
                    .ioTimeout(Duration.ofMillis(1000)).build(), 640 * 480 * 3);
            List<Long> frameIndex = new CopyOnWriteArrayList<>();
            List<Long> packetsAtReturn = new CopyOnWriteArrayList<>();
            DeviceChannel<NoCommand, VideoFrame> cam = rt.open(slow("live"), driver, (f, at) -> {
                frameIndex.add(Math.round(f.streamTimestampMicros() / LiveStream.FRAME_MICROS));
                Thread.sleep(100); // a 10 frames/s consumer of a 30 frames/s camera
                packetsAtReturn.add(driver.stats().packets());
            });
            await("20 frames", () -> packetsAtReturn.size() >= 20, cam.stats());
            CameraStats s = driver.stats();
            long delivered = cam.stats().dataDelivered();
            // on demand: only what the consumer takes is decoded (plus the one waiting in the slot and the one in hand)
            assertTrue(s.decoded() <= delivered + 2, "decoded only what was taken: " + s + ", delivered " + delivered);
            for (int i = 0; i + 1 < frameIndex.size() && i < packetsAtReturn.size(); i++) {
                // the next frame is one of the packets read after the handler returned (two behind at most: the
                // one being decoded and the one in the slot), never the next of a backlog
                assertTrue(frameIndex.get(i + 1) >= packetsAtReturn.get(i) - 3,
                        "a slow consumer gets the newest frame, decoded just for it: stream frame index at each delivery "
                                + frameIndex + ", packets read at each return " + packetsAtReturn);
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
            await("reconnecting after the stream died", () -> a.state() == ChannelState.RECONNECTING, a.stats());
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
            // close returns although the stream is silent (the bound only catches a hang; the I/O timeout cuts it)
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Await.HANG, cam::close, "close returned");
            assertEquals(ChannelState.CLOSED, cam.state());
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /** FFmpeg's own threads: FFmpeg names them {@code av:<codec>:...}. */
    private static List<String> ffmpegThreads() throws IOException {
        List<String> names = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String comm = Files.readString(t.resolve("comm")).trim();
                    if (comm.startsWith("av:")) {
                        names.add(comm);
                    }
                } catch (IOException ended) {
                    // the thread ended while we looked
                }
            }
        }
        return names;
    }

    private static List<String> ffmpegThreadsOrFail() {
        try {
            return ffmpegThreads();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldEndFfmpegsThreadsAndFreeItsPointersOnEachOf100OpenCloseCycles() throws Exception {
        Path file = VideoFiles.write(dir.resolve("c.mkv"), "libopenh264", 640, 480, 5, 30);
        CameraConfig cfg = CameraConfig.of(new CameraSource.File(file)).decodeThreads(2).build();
        VideoFrame f = new VideoFrame(640 * 480 * 3);
        System.gc();
        Await.until("no FFmpeg thread from earlier tests", () -> ffmpegThreadsOrFail().isEmpty(),
                () -> ffmpegThreadsOrFail().toString());
        long pointers = Pointer.totalCount();
        boolean sawDecoderThreads = false;
        for (int i = 0; i < 100; i++) {
            FfmpegCameraDriver d = new FfmpegCameraDriver(cfg, 0);
            d.open();
            assertTrue(d.read(f));
            sawDecoderThreads |= !ffmpegThreads().isEmpty();
            d.close();
        }
        assertTrue(sawDecoderThreads, "the check below means something: FFmpeg ran decoder threads while open");
        Await.until("FFmpeg's decoder threads end with each close", () -> ffmpegThreadsOrFail().isEmpty(),
                () -> ffmpegThreadsOrFail().toString());
        Await.until("every JavaCPP pointer the drivers made is freed", () -> {
            System.gc();
            return Pointer.totalCount() <= pointers;
        }, () -> "tracked pointers " + Pointer.totalCount() + ", before " + pointers);
    }
}
