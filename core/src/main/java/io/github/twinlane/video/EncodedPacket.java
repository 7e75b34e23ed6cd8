package io.github.twinlane.video;

import io.github.twinlane.MessageType;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One compressed packet as the camera delivered it (a JPEG image, an H.264 access unit), in a
 * reusable direct buffer: what a recorder stores and a viewer shows without decoding anything. The
 * packet's pixels are not here; a decoded {@link VideoFrame} of the same capture has the same
 * {@link #sequence()} only when the camera decoded that packet (decoding may be on demand).
 *
 * <p>Ownership: a packet handed to a {@link PacketListener} or a packet tap's consumer is reused
 * afterwards; it is valid only during the call. Copy it with {@link #copyTo(EncodedPacket)} (no
 * allocation once the destination is large enough).
 *
 * <p>Not thread-safe.
 */
public final class EncodedPacket {
    private ByteBuffer data;
    private int length;
    private VideoCodec codec = VideoCodec.OTHER;
    private boolean keyFrame;
    private int width;
    private int height;
    private long sequence = -1;
    private long captureNanos;
    private long streamTimestampMicros;

    /**
     * An empty packet.
     *
     * @param capacityBytes initial capacity; grows (once) when a larger packet is written
     */
    public EncodedPacket(int capacityBytes) {
        this.data = ByteBuffer.allocateDirect(Math.max(0, capacityBytes));
    }

    /**
     * The message type for packets preallocated at {@code capacityBytes}, for taps' rings.
     *
     * @param capacityBytes bytes each slot starts with, e.g. 512 KiB for 1080p MJPEG
     * @return the type
     */
    public static MessageType<EncodedPacket> type(int capacityBytes) {
        return new MessageType<>() {
            @Override
            public EncodedPacket newInstance() {
                return new EncodedPacket(capacityBytes);
            }

            @Override
            public void copy(EncodedPacket from, EncodedPacket to) {
                from.copyTo(to);
            }

            @Override
            public long heapBytes(EncodedPacket packet) {
                return 128;
            }

            @Override
            public long directBytes(EncodedPacket packet) {
                return packet.data.capacity();
            }
        };
    }

    /**
     * Describes the packet about to be written and returns its buffer, positioned at 0 with the limit
     * at {@code bytes}. For drivers.
     *
     * @param packetCodec the compression
     * @param bytes the packet's size
     * @param key whether a decoder can start at this packet (every JPEG packet is one)
     * @param w the image's width in pixels, or 0 if unknown
     * @param h the image's height in pixels, or 0 if unknown
     * @return the buffer to fill; valid until the next call
     */
    public ByteBuffer prepare(VideoCodec packetCodec, int bytes, boolean key, int w, int h) {
        Objects.requireNonNull(packetCodec, "packetCodec");
        if (bytes < 0 || w < 0 || h < 0) {
            throw new IllegalArgumentException("packet size and dimensions must not be negative: " + bytes + " bytes, "
                    + w + "x" + h);
        }
        if (data.capacity() < bytes) {
            data = ByteBuffer.allocateDirect(bytes);
        }
        codec = packetCodec;
        length = bytes;
        keyFrame = key;
        width = w;
        height = h;
        data.clear().limit(bytes);
        return data;
    }

    /**
     * Stamps the packet after its bytes are written. For drivers.
     *
     * @param seq the camera's packet number
     * @param captureTimeNanos when it was read, {@link System#nanoTime()} units
     * @param streamMicros the stream's own timestamp, or 0
     */
    public void stamp(long seq, long captureTimeNanos, long streamMicros) {
        sequence = seq;
        captureNanos = captureTimeNanos;
        streamTimestampMicros = streamMicros;
    }

    /**
     * The packet's bytes, positioned at 0 with the limit at its length. Shares this packet's memory.
     *
     * @return the buffer; valid as long as the packet is
     */
    public ByteBuffer data() {
        return data.clear().limit(length);
    }

    /**
     * Copies everything into {@code dst}, growing its buffer if needed.
     *
     * @param dst the destination
     */
    public void copyTo(EncodedPacket dst) {
        ByteBuffer target = dst.prepare(codec, length, keyFrame, width, height);
        target.put(0, data, 0, length); // absolute: neither buffer's position moves
        dst.stamp(sequence, captureNanos, streamTimestampMicros);
    }

    /** @return the compression */
    public VideoCodec codec() {
        return codec;
    }

    /** @return the packet's size in bytes */
    public int length() {
        return length;
    }

    /** @return whether a decoder can start here */
    public boolean keyFrame() {
        return keyFrame;
    }

    /** @return the image's width in pixels, or 0 if unknown */
    public int width() {
        return width;
    }

    /** @return the image's height in pixels, or 0 if unknown */
    public int height() {
        return height;
    }

    /** @return the camera's packet number, -1 before the first */
    public long sequence() {
        return sequence;
    }

    /** @return when it was read, {@link System#nanoTime()} units */
    public long captureNanos() {
        return captureNanos;
    }

    /** @return the stream's own timestamp in microseconds, or 0 */
    public long streamTimestampMicros() {
        return streamTimestampMicros;
    }

    @Override
    public String toString() {
        return codec + " packet #" + sequence + " (" + length + " bytes" + (keyFrame ? ", key" : "") + ")";
    }
}
