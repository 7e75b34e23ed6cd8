package io.github.twinlane.camera;

import io.github.twinlane.test.Rig;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * A live, camera-like stream: the {@code ffmpeg} program that the {@code org.bytedeco:ffmpeg} jar
 * ships (no system ffmpeg) serving a 30 frames/s test pattern as MJPEG in Matroska on a loopback TCP
 * port (see shared/TESTBED.md). Killing it is a camera dying mid-stream.
 */
final class LiveStream implements AutoCloseable {
    /** The pattern's frame interval: testsrc at 30 frames/s stamps frame k at k × 33,333 µs. */
    static final double FRAME_MICROS = 1_000_000.0 / 30;

    final int port;
    private final Process ffmpeg;

    /** The bundled program links FFmpeg's device layer, which needs libpulse: skip off CI, fail on it. */
    static void requireFfmpeg() {
        Rig.require(Rig.hasSharedLibrary("libpulse.so.0"),
                "libpulse.so.0 for the ffmpeg program bundled in org.bytedeco:ffmpeg (it links FFmpeg's device layer)",
                "apt-get install -y libpulse0");
    }

    static String program() {
        return Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    LiveStream(int width, int height) throws IOException {
        this.port = freePort();
        String program = program();
        ProcessBuilder pb = new ProcessBuilder(program, "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "testsrc=size=" + width + "x" + height + ":rate=30", "-c:v", "mjpeg", "-q:v", "5", "-f", "matroska",
                "tcp://127.0.0.1:" + port + "?listen").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // the program's libraries (libva, libdrm, FFmpeg's own) are extracted beside it
        pb.environment().put("LD_LIBRARY_PATH", java.nio.file.Path.of(program).getParent().toString());
        ffmpeg = pb.start();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void kill() throws InterruptedException {
        ffmpeg.destroyForcibly();
        ffmpeg.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ffmpeg.destroyForcibly();
    }
}
