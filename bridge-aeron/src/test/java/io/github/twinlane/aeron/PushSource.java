package io.github.twinlane.aeron;

import io.github.twinlane.NoCommand;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.video.VideoFrame;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A camera the test drives by hand: each {@link #push} becomes one frame, numbered by the test. */
final class PushSource extends AbstractDeviceDriver<NoCommand, VideoFrame> {
    private final BlockingQueue<VideoFrame> queue = new LinkedBlockingQueue<>();

    PushSource(int capacity) {
        super("push-camera", NoCommand.TYPE, VideoFrame.type(capacity), ReadMode.BLOCKING);
    }

    /** Queues a frame {@code w x h} GRAY8 whose pixels are a function of {@code seq}. */
    void push(long seq, int w, int h) {
        VideoFrame f = new VideoFrame(w * h);
        java.nio.ByteBuffer px = f.prepare(w, h, w, io.github.twinlane.video.PixelFormat.GRAY8);
        for (int i = 0; i < px.limit(); i++) {
            px.put(i, (byte) (i * 7 + seq * 13));
        }
        f.stamp(seq, System.nanoTime(), 0);
        queue.add(f);
    }

    @Override
    public void open() {
    }

    @Override
    public boolean read(VideoFrame into) throws java.io.IOException {
        try {
            VideoFrame f = queue.poll(10, TimeUnit.MILLISECONDS);
            if (f == null) {
                return false;
            }
            f.copyTo(into);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("closed");
        }
    }

    @Override
    public void write(NoCommand command) {
    }

    @Override
    public void close() {
    }
}
