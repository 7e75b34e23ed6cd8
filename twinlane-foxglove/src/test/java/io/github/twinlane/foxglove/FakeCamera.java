package io.github.twinlane.foxglove;

import io.github.twinlane.Subscription;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketListener;
import io.github.twinlane.video.PacketSource;
import io.github.twinlane.video.VideoCodec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;

/** A camera that hands out the same packet every {@code periodNanos} on a thread of its own, as a reader would. */
final class FakeCamera implements PacketSource, AutoCloseable {
    private final List<PacketListener> listeners = new CopyOnWriteArrayList<>();
    private final EncodedPacket packet = new EncodedPacket(0);
    private final Thread thread;
    private volatile boolean running = true;

    FakeCamera(VideoCodec codec, byte[] bytes, int width, int height, long periodNanos) {
        this.thread = new Thread(() -> {
            long seq = 0;
            while (running) {
                packet.prepare(codec, bytes.length, true, width, height).put(0, bytes);
                packet.stamp(seq++, System.nanoTime(), 0);
                for (PacketListener l : listeners) {
                    l.onPacket(packet);
                }
                LockSupport.parkNanos(periodNanos);
            }
        }, "fake-camera");
        thread.setDaemon(true);
        thread.start();
    }

    /** A real JPEG of the given size. */
    static byte[] jpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 7 ^ y * 13) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    @Override
    public String describe() {
        return "fake-camera";
    }

    @Override
    public Subscription onPacket(PacketListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
