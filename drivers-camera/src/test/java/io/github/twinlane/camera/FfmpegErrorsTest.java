package io.github.twinlane.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FFmpeg's error text reaches our messages up to its terminator and no further: each native error
 * path is provoked for real, and the message must be the error's text alone (issue: a refused
 * connection once logged 256 bytes of native heap after "Connection refused").
 */
class FfmpegErrorsTest {
    @TempDir
    Path dir;

    private static String openFailure(CameraSource source) {
        FfmpegCameraDriver d = new FfmpegCameraDriver(CameraConfig.of(source).ioTimeout(Duration.ofSeconds(5)).build(), 0);
        IOException e = assertThrows(IOException.class, d::open);
        d.close();
        return e.getMessage();
    }

    private static void clean(String message, String endsWith) {
        assertTrue(message.endsWith(": " + endsWith), "the error's own text ends the message: [" + message + "]");
        for (char c : message.toCharArray()) {
            assertTrue(c >= ' ' && c != 0x7f, "no control byte or NUL in [" + message + "]");
        }
    }

    @Test
    void shouldEndARefusedConnectionsMessageAtFfmpegsText() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        clean(openFailure(new CameraSource.Stream("tcp://127.0.0.1:" + port)), "Connection refused");
    }

    @Test
    void shouldEndAMissingFilesMessageAtFfmpegsText() {
        clean(openFailure(new CameraSource.File(dir.resolve("none.mkv"))), "No such file or directory");
    }

    @Test
    void shouldEndABadUrlsMessageAtFfmpegsText() {
        // a URL our config accepts but FFmpeg refuses: TCP without a port
        clean(openFailure(new CameraSource.Stream("tcp://127.0.0.1")), "Invalid argument");
    }

    @Test
    void shouldReadACStringOnlyUpToItsTerminatorAndNeverEmitControlBytes() {
        byte[] buf = new byte[64];
        byte[] text = "Connection refused".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, buf, 0, text.length);
        byte[] heap = "Ljava/lang/String;\u0001/tmp/jna123".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(heap, 0, buf, text.length + 1, heap.length);
        assertEquals("Connection refused", FfmpegErrors.text(buf));
        assertEquals("a?b", FfmpegErrors.text("a\nb".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("", FfmpegErrors.text(new byte[8]));
    }

    @Test
    void shouldDescribeAnErrorCodeWithoutTrailingBytes() {
        String s = FfmpegErrors.describe(-111); // AVERROR(ECONNREFUSED)
        assertEquals("Connection refused", s);
    }
}
