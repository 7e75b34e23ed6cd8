package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Await;
import io.github.twinlane.test.Capture;
import java.awt.image.BufferedImage;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteCameraTest {
    @TempDir
    Path dir;

    @Test
    void theWatcherSeesTheServedCameraAndSavesASnapshot() throws Exception {
        String importer;
        String exporter;
        try (DatagramSocket a = new DatagramSocket(0); DatagramSocket b = new DatagramSocket(0)) {
            importer = "127.0.0.1:" + a.getLocalPort();
            exporter = "127.0.0.1:" + b.getLocalPort();
        }
        AtomicReference<Throwable> serveFailed = new AtomicReference<>();
        Thread server = new Thread(() -> {
            try {
                RemoteCamera.main(new String[] {"--serve", "--importer", importer, "--exporter", exporter,
                        "--duration", "3600"});
            } catch (InterruptedException stopped) {
                // the test stops the server once the watcher is done
            } catch (Throwable t) {
                serveFailed.set(t);
            }
        }, "serve");
        server.start();
        Path snap = dir.resolve("remote.png");
        String out;
        try {
            out = Capture.stdout(RemoteCamera::main, "--watch", "--importer", importer, "--exporter", exporter,
                    "--snapshot", snap.toString(), "--duration", "4");
        } finally {
            server.interrupt(); // the server runs until the watcher is done, not for a guessed time
            server.join(Await.HANG.toMillis());
        }
        assertFalse(server.isAlive(), "the server stopped when interrupted");
        assertEquals(null, serveFailed.get());
        assertTrue(out.matches("(?s).*t=\\ds OPEN [1-9]\\d* frames/s, age on receipt p50 .*"), "frames arrived: " + out);
        BufferedImage img = ImageIO.read(snap.toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
    }

    @Test
    void oneHalfMustBeChosen() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RemoteCamera.main(new String[] {"--duration", "1"}));
        assertTrue(e.getMessage().contains("--serve"), e.getMessage());
    }
}
