package io.github.twinlane.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.test.Capture;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CameraViewerTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteSnapshotsAPersonCanOpenAndRecordAClip() throws Exception {
        Path clip = dir.resolve("clip.mkv");
        String out = Capture.stdout(CameraViewer::main, "--duration", "2", "--out", dir.resolve("shots").toString(),
                "--record", clip.toString(), "--foxglove", "0");
        assertTrue(out.contains("cam0: simulated 640x480@30"), out);
        assertTrue(out.matches("(?s).*live view: in Foxglove, Open connection > Foxglove WebSocket > "
                + "ws://127\\.0\\.0\\.1:\\d+.*"), out);
        assertTrue(out.matches("(?s).*t=2s cam0 OPEN [1-9]\\d* frames/s.*"), out);
        BufferedImage img = ImageIO.read(dir.resolve("shots/cam0.png").toFile());
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        assertTrue(out.matches("(?s).*recorded [1-9]\\d* frames to .*"), out);
        assertTrue(Files.size(clip) > 10_000);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(clip.toFile())) {
            g.start();
            assertEquals(640, g.getImageWidth());
            assertTrue(g.grabImage() != null, "the clip plays");
        }
    }
}
