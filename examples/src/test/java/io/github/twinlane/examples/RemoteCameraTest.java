package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                        "--duration", "6"});
            } catch (Throwable t) {
                serveFailed.set(t);
            }
        }, "serve");
        server.start();
        Path snap = dir.resolve("remote.png");
        String out = Run.capture(RemoteCamera::main, "--watch", "--importer", importer, "--exporter", exporter,
                "--snapshot", snap.toString(), "--duration", "4");
        server.join(30_000);
        assertEquals(null, serveFailed.get());
        assertTrue(out.matches("(?s).*t=4s OPEN [1-9]\\d* frames/s, age on receipt p50 .*"), out);
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
