package io.github.twinlane.camera;

import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes a frame as a PNG or JPEG file, so a person can look at what a camera sees. Pure Java
 * (ImageIO); allocates an image per call, so it is for occasional snapshots, not every frame.
 * An I420 frame is written as the grey image of its Y plane.
 */
public final class Snapshots {
    private Snapshots() {
    }

    /**
     * Writes {@code frame} to {@code file}, as PNG or JPEG by the file's extension.
     *
     * @param frame the frame; read, not kept
     * @param file a path ending in .png, .jpg or .jpeg
     * @throws IOException if the file cannot be written
     * @throws IllegalArgumentException if the extension is neither, or the frame is empty
     */
    public static void write(VideoFrame frame, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg" : null;
        if (format == null) {
            throw new IllegalArgumentException("snapshot file must end in .png, .jpg or .jpeg, was " + file);
        }
        if (frame.length() == 0) {
            throw new IllegalArgumentException("the frame is empty: nothing was captured into it yet");
        }
        BufferedImage img = toImage(frame);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }

    /**
     * Converts a frame to an image (copies the pixels).
     *
     * @param frame the frame
     * @return a new image
     */
    public static BufferedImage toImage(VideoFrame frame) {
        int w = frame.width();
        int h = frame.height();
        PixelFormat pf = frame.format();
        boolean gray = pf == PixelFormat.GRAY8 || pf == PixelFormat.I420; // I420: its Y plane, a grey image
        BufferedImage img = new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        ByteBuffer src = frame.pixels();
        int row = w * pf.bytesPerPixel();
        for (int y = 0; y < h; y++) {
            src.get(y * frame.stride(), dst, y * row, row);
        }
        if (pf == PixelFormat.RGB24) {
            for (int i = 0; i < dst.length; i += 3) {
                byte r = dst[i];
                dst[i] = dst[i + 2];
                dst[i + 2] = r;
            }
        }
        return img;
    }
}
