package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A live, camera-like stream: the Debian ffmpeg CLI serving a 30 frames/s test pattern as MJPEG in
 * Matroska on a loopback TCP port (see shared/TESTBED.md). Killing it is a camera dying mid-stream.
 */
final class LiveStream implements AutoCloseable {
    final int port;
    private final Process ffmpeg;

    static void requireFfmpeg() {
        boolean present = Files.isExecutable(Path.of("/usr/bin/ffmpeg"));
        String why = "the live-stream tests need the ffmpeg CLI: apt-get install -y ffmpeg";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    LiveStream(int width, int height) throws IOException {
        this.port = freePort();
        ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                "testsrc=size=" + width + "x" + height + ":rate=30", "-c:v", "mjpeg", "-q:v", "5", "-f", "matroska",
                "tcp://127.0.0.1:" + port + "?listen").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void kill() throws InterruptedException {
        ffmpeg.destroyForcibly();
        ffmpeg.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ffmpeg.destroyForcibly();
    }
}
