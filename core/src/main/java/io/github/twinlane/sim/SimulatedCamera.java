package io.github.twinlane.sim;

import io.github.twinlane.NoCommand;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A camera in software: frames of a given size at a given rate, from a blocking read that waits
 * for each frame like a real grabber, plus a configurable CPU cost per frame (thread CPU time, spent
 * reading the pixels) standing in for decoding, so that simulated cameras load the machine the way
 * real ones do.
 *
 * <p>Pixel content is a test pattern: byte {@code i} of row {@code y} of frame {@code s} is
 * {@code (i + y + s) & 0xFF}, except that the first 8 bytes hold {@code s} as a big-endian long.
 */
public final class SimulatedCamera extends SimDevice<NoCommand, VideoFrame> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final int width;
    private final int height;
    private final PixelFormat format;
    private final long periodNanos;
    private final long cpuCostNanos;
    private final byte[] pattern;
    private final SplittableRandom random = new SplittableRandom(7);
    private long nextDue;
    private long sequence;
    private long frozenSequence = -1;
    private long frozenCapture;
    private long sink;

    /** A 640x480 BGR camera at 30 frames/s with no extra CPU cost. */
    public SimulatedCamera() {
        this("sim-camera", 640, 480, 30, PixelFormat.BGR24, Duration.ZERO);
    }

    /**
     * A camera.
     *
     * @param name its description
     * @param width pixels, 1 to 8192
     * @param height pixels, 1 to 8192
     * @param fps frames per second, 1 to 1000
     * @param format pixel format
     * @param cpuCostPerFrame CPU time to spend per frame, standing in for decoding; 0 or more
     */
    public SimulatedCamera(String name, int width, int height, int fps, PixelFormat format, Duration cpuCostPerFrame) {
        super(name, NoCommand.TYPE, VideoFrame.type(checkedFrameBytes(width, height, fps, format, cpuCostPerFrame)),
                ReadMode.BLOCKING);
        this.width = width;
        this.height = height;
        this.format = format;
        this.periodNanos = 1_000_000_000L / fps;
        this.cpuCostNanos = cpuCostPerFrame.toNanos();
        int stride = width * format.bytesPerPixel();
        this.pattern = new byte[stride + 256];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) i;
        }
    }

    /** Validates every argument, naming it, before the driver's frame type is made from them. */
    private static int checkedFrameBytes(int width, int height, int fps, PixelFormat format, Duration cpuCostPerFrame) {
        if (width < 1 || width > 8192) {
            throw new IllegalArgumentException("width must be from 1 to 8192, was " + width);
        }
        if (height < 1 || height > 8192) {
            throw new IllegalArgumentException("height must be from 1 to 8192, was " + height);
        }
        if (fps < 1 || fps > 1000) {
            throw new IllegalArgumentException("fps must be from 1 to 1000, was " + fps);
        }
        if (cpuCostPerFrame == null || cpuCostPerFrame.isNegative()) {
            throw new IllegalArgumentException("cpuCostPerFrame must be 0 or more, was " + cpuCostPerFrame);
        }
        if (format == null) {
            throw new IllegalArgumentException("format must be set (BGR24, RGB24, GRAY8 or I420), was null");
        }
        return width * height * format.bytesPerPixel();
    }

    /**
     * Bytes one frame needs: preallocate slots with {@code VideoFrame.type(camera.frameBytes())}.
     *
     * @return width times height times bytes per pixel
     */
    public int frameBytes() {
        return width * height * format.bytesPerPixel();
    }

    @Override
    public void open() throws IOException {
        markOpen();
        nextDue = System.nanoTime() + periodNanos;
    }

    @Override
    public boolean read(VideoFrame into) throws IOException {
        enterRead();
        check();
        SimClock.hangWhile(this);
        SimClock.waitUntil(nextDue + faults().extraDelayNanos(random), this);
        long now = System.nanoTime();
        nextDue += periodNanos;
        if (now - nextDue > periodNanos) {
            nextDue = now + periodNanos; // fell behind: a camera drops frames, it does not burst
        }
        long seq;
        long capture;
        if (faults().frozen()) {
            if (frozenSequence < 0) {
                frozenSequence = Math.max(0, sequence - 1);
                frozenCapture = now;
            }
            seq = frozenSequence;
            capture = frozenCapture;
        } else {
            frozenSequence = -1;
            seq = sequence++;
            capture = now - faults().staleNanos();
        }
        fill(into, seq);
        into.stamp(seq, capture, seq * periodNanos / 1000);
        burn(into.pixels());
        return true;
    }

    private void fill(VideoFrame into, long seq) {
        int stride = width * format.bytesPerPixel();
        ByteBuffer buf = into.prepare(width, height, stride, format);
        for (int y = 0; y < height; y++) {
            buf.put(pattern, (int) ((y + seq) & 0xFF), stride);
        }
        buf.putLong(0, seq);
    }

    private void burn(ByteBuffer pixels) {
        if (cpuCostNanos == 0) {
            return;
        }
        long start = THREADS.getCurrentThreadCpuTime();
        long acc = 0;
        int len = pixels.limit();
        int i = 0;
        do {
            for (int end = Math.min(len, i + 65_536); i < end; i += 8) {
                acc += pixels.get(i) * 31L + i;
            }
            if (i >= len) {
                i = 0;
            }
        } while (THREADS.getCurrentThreadCpuTime() - start < cpuCostNanos);
        sink += acc;
    }

    /**
     * A value derived from the simulated decoding work, so the JIT cannot discard it.
     *
     * @return an arbitrary number
     */
    public long workChecksum() {
        return sink;
    }

    @Override
    public void write(NoCommand command) {
        // a camera takes no commands
    }

    @Override
    public void close() {
        markClosed();
    }
}
