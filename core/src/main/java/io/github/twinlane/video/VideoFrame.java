package io.github.twinlane.video;

import io.github.twinlane.MessageType;
import java.nio.ByteBuffer;

/**
 * One video frame in a reusable, preallocated direct buffer. Twinlane's own frame type: no JavaCV
 * or FFmpeg type appears in it.
 *
 * <p>Ownership: a frame handed to a {@link io.github.twinlane.DataHandler} is a ring slot that the
 * camera's reader reuses; it is valid only during the call. To keep one longer, copy it into a frame
 * you own with {@link #copyTo(VideoFrame)} (no allocation once your frame is large enough), or use
 * {@link io.github.twinlane.DeviceChannel#latest}, which copies the newest frame into yours.
 *
 * <p>Not thread-safe.
 */
public final class VideoFrame {
    private ByteBuffer data;
    private int width;
    private int height;
    private int stride;
    private int length;
    private PixelFormat format = PixelFormat.BGR24;
    private long sequence = -1;
    private long captureNanos;
    private long streamTimestampMicros;

    /**
     * Creates an empty frame with room for {@code capacityBytes} of pixels.
     *
     * @param capacityBytes initial pixel capacity; grows (once) if a larger frame is written
     */
    public VideoFrame(int capacityBytes) {
        this.data = ByteBuffer.allocateDirect(Math.max(0, capacityBytes));
    }

    /**
     * The message type for frames preallocated at {@code capacityBytes}: the runtime's memory budgets count
     * each slot as that many bytes of direct memory, so give the camera's real frame size.
     *
     * @param capacityBytes pixel capacity of each slot, e.g. {@code 1920 * 1080 * 3}
     * @return the type
     */
    public static MessageType<VideoFrame> type(int capacityBytes) {
        return new MessageType<>() {
            @Override
            public VideoFrame newInstance() {
                return new VideoFrame(capacityBytes);
            }

            @Override
            public void copy(VideoFrame from, VideoFrame to) {
                from.copyTo(to);
            }

            @Override
            public long heapBytes(VideoFrame frame) {
                return 128; // the frame and its buffer's object
            }

            @Override
            public long directBytes(VideoFrame frame) {
                return frame.data.capacity(); // a slot grows past this only if a larger frame than the type's is written
            }
        };
    }

    /**
     * Describes the frame about to be written and returns its pixel buffer, positioned at 0 with
     * the limit at the frame's size ({@link PixelFormat#frameBytes}). For drivers.
     *
     * @param w width in pixels
     * @param h height in pixels
     * @param rowStride bytes per row, at least {@code w * bytesPerPixel}
     * @param fmt pixel format
     * @return the buffer to fill; valid until the next call
     */
    public ByteBuffer prepare(int w, int h, int rowStride, PixelFormat fmt) {
        if (w <= 0 || h <= 0 || rowStride < w * fmt.bytesPerPixel()) {
            throw new IllegalArgumentException("frame geometry invalid: " + w + "x" + h + " stride " + rowStride
                    + " " + fmt);
        }
        int bytes = fmt.frameBytes(h, rowStride);
        if (data.capacity() < bytes) {
            data = ByteBuffer.allocateDirect(bytes);
        }
        width = w;
        height = h;
        stride = rowStride;
        format = fmt;
        length = bytes;
        data.clear().limit(bytes);
        return data;
    }

    /**
     * Stamps the frame after its pixels are written. For drivers.
     *
     * @param seq the camera's frame number
     * @param captureTimeNanos when it was captured, {@link System#nanoTime()} units
     * @param streamMicros the stream's own timestamp, or 0
     */
    public void stamp(long seq, long captureTimeNanos, long streamMicros) {
        sequence = seq;
        captureNanos = captureTimeNanos;
        streamTimestampMicros = streamMicros;
    }

    /**
     * The pixels, positioned at 0 with the limit at the frame's length. Shares this frame's memory.
     *
     * @return the buffer; valid as long as the frame is
     */
    public ByteBuffer pixels() {
        return data.clear().limit(length);
    }

    /**
     * Copies everything into {@code dst}, growing its buffer if needed.
     *
     * @param dst the destination
     */
    public void copyTo(VideoFrame dst) {
        if (length > 0) {
            ByteBuffer target = dst.prepare(width, height, stride, format);
            target.put(0, data, 0, length); // absolute: neither buffer's position moves
        } else {
            dst.width = 0;
            dst.height = 0;
            dst.stride = 0;
            dst.length = 0;
            dst.format = format;
        }
        dst.stamp(sequence, captureNanos, streamTimestampMicros);
    }

    /** @return width in pixels */
    public int width() {
        return width;
    }

    /** @return height in pixels */
    public int height() {
        return height;
    }

    /** @return bytes per row */
    public int stride() {
        return stride;
    }

    /** @return the pixel format */
    public PixelFormat format() {
        return format;
    }

    /** @return pixel bytes in use */
    public int length() {
        return length;
    }

    /** @return the camera's frame number, -1 before the first */
    public long sequence() {
        return sequence;
    }

    /** @return capture time in {@link System#nanoTime()} units */
    public long captureNanos() {
        return captureNanos;
    }

    /** @return the stream's own timestamp in microseconds, or 0 */
    public long streamTimestampMicros() {
        return streamTimestampMicros;
    }

    /**
     * How old the frame is.
     *
     * @param nowNanos {@link System#nanoTime()}
     * @return nanoseconds since capture
     */
    public long ageNanos(long nowNanos) {
        return nowNanos - captureNanos;
    }
}
