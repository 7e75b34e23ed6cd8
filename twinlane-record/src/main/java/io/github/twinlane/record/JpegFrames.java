package io.github.twinlane.record;

import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG for {@link VideoFrame}s with the JDK's own codec (no native library): any of twinlane's pixel
 * formats in, {@code BGR24} out. One instance per thread: it keeps its image and output buffer from
 * frame to frame.
 */
final class JpegFrames {
    private final float quality;
    private final Sink out = new Sink();
    private BufferedImage image;

    JpegFrames(float quality) {
        if (!(quality >= 0.05f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be from 0.05 to 1.0, was " + quality);
        }
        this.quality = quality;
    }

    /**
     * Compresses one frame.
     *
     * @return the JPEG's length in {@link #bytes()}
     * @throws IOException if the frame is empty or the encoder fails
     */
    int encode(VideoFrame f) throws IOException {
        if (f.length() == 0) {
            throw new IOException("an empty frame has no image to compress");
        }
        image = image(f, image);
        out.reset();
        ImageWriter writer = writer();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.size();
    }

    /** @return the last JPEG, in its first {@link #encode} bytes */
    byte[] bytes() {
        return out.array();
    }

    private static ImageWriter writer() throws IOException {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        if (!it.hasNext()) {
            throw new IOException("this JDK has no JPEG encoder (javax.imageio)");
        }
        return it.next();
    }

    /**
     * The frame as an image: BGR, or grey for GRAY8.
     *
     * @param reuse an image to fill if it has the frame's size and type, or null
     * @return {@code reuse} filled, or a new image
     */
    static BufferedImage image(VideoFrame f, BufferedImage reuse) {
        int type = f.format() == PixelFormat.GRAY8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage img = reuse;
        if (img == null || img.getWidth() != f.width() || img.getHeight() != f.height() || img.getType() != type) {
            img = new BufferedImage(f.width(), f.height(), type);
        }
        fill(f, ((DataBufferByte) img.getRaster().getDataBuffer()).getData());
        return img;
    }

    /** Packs the frame's rows into the image's BGR (or grey) bytes. */
    private static void fill(VideoFrame f, byte[] px) {
        ByteBuffer src = f.pixels();
        int w = f.width();
        int h = f.height();
        int stride = f.stride();
        switch (f.format()) {
            case GRAY8:
            case BGR24: {
                int row = w * f.format().bytesPerPixel();
                for (int y = 0; y < h; y++) {
                    src.get(y * stride, px, y * row, row);
                }
                break;
            }
            case RGB24:
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int s = y * stride + 3 * x;
                        int d = (y * w + x) * 3;
                        px[d] = src.get(s + 2);
                        px[d + 1] = src.get(s + 1);
                        px[d + 2] = src.get(s);
                    }
                }
                break;
            default: { // I420: BT.601, full range
                int cw = (stride + 1) / 2;
                int uAt = stride * h;
                int vAt = uAt + cw * ((h + 1) / 2);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int yy = src.get(y * stride + x) & 0xFF;
                        int c = (y / 2) * cw + x / 2;
                        int u = (src.get(uAt + c) & 0xFF) - 128;
                        int v = (src.get(vAt + c) & 0xFF) - 128;
                        int d = (y * w + x) * 3;
                        px[d] = clamp(yy + (int) (1.772 * u));
                        px[d + 1] = clamp(yy - (int) (0.344 * u + 0.714 * v));
                        px[d + 2] = clamp(yy + (int) (1.402 * v));
                    }
                }
            }
        }
    }

    private static byte clamp(int v) {
        return (byte) Math.max(0, Math.min(255, v));
    }

    /**
     * Decodes a JPEG into {@code into} as BGR24 (or GRAY8 for a grey JPEG).
     *
     * @throws IOException if the bytes are not a JPEG the JDK reads
     */
    static void decode(byte[] jpeg, VideoFrame into) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
        if (img == null) {
            throw new IOException("not a JPEG image");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            into.prepare(w, h, w, PixelFormat.GRAY8).put(0, px, 0, w * h);
            return;
        }
        ByteBuffer dst = into.prepare(w, h, w * 3, PixelFormat.BGR24);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int d = (y * w + x) * 3;
                dst.put(d, (byte) rgb).put(d + 1, (byte) (rgb >> 8)).put(d + 2, (byte) (rgb >> 16));
            }
        }
    }

    /** An output stream whose array is read in place. */
    private static final class Sink extends ByteArrayOutputStream {
        Sink() {
            super(64 * 1024);
        }

        byte[] array() {
            return buf;
        }
    }
}
