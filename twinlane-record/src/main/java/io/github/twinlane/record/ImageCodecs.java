package io.github.twinlane.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoCodec;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Camera images in Foxglove's own schemas, as JSON with a JSON Schema (binary data base64-encoded, as
 * Foxglove's JSON schemas say), so Foxglove's Image panel shows a recording or a live view as it is:
 *
 * <ul>
 *   <li>{@link #compressedImage} — a camera's own JPEG packet as {@code foxglove.CompressedImage}, never
 *       decoded: what an MJPEG camera records at the cost of a copy;</li>
 *   <li>{@link #compressedVideo} — an H.264/H.265/VP9/AV1 packet as {@code foxglove.CompressedVideo}
 *       (Annex B, parameter sets on key frames, as the camera driver hands them out);</li>
 *   <li>{@link #rawImage} — a decoded or simulated {@link VideoFrame} as {@code foxglove.RawImage}, pixels
 *       as they are;</li>
 *   <li>{@link #jpeg} — a decoded or simulated frame JPEG-compressed on the recording's (or viewer's)
 *       thread, as {@code foxglove.CompressedImage}: smaller files for the cost of an encode there.</li>
 * </ul>
 *
 * <p>Each factory call makes a codec with its own scratch buffers for the one thread that uses it: make
 * one per recorded stream. Decoding (for replay) may run on another thread.
 */
public final class ImageCodecs {
    private ImageCodecs() {
    }

    /**
     * A camera's still-image packets (JPEG) as {@code foxglove.CompressedImage}. A video packet
     * (H.264, ...) is refused with an error naming {@link #compressedVideo}, and counted as failed.
     *
     * @param frameId Foxglove's {@code frame_id} for the images, for example the camera's name
     * @return the codec
     */
    public static RecordCodec<EncodedPacket> compressedImage(String frameId) {
        return new PacketCodec("foxglove.CompressedImage", frameId, true);
    }

    /**
     * A camera's video packets (H.264, H.265, VP9, AV1) as {@code foxglove.CompressedVideo}; Foxglove
     * plays streams without B-frames. A JPEG packet is refused with an error naming
     * {@link #compressedImage}.
     *
     * @param frameId Foxglove's {@code frame_id}
     * @return the codec
     */
    public static RecordCodec<EncodedPacket> compressedVideo(String frameId) {
        return new PacketCodec("foxglove.CompressedVideo", frameId, false);
    }

    /**
     * The codec for a camera whose packets are of {@code codec}.
     *
     * @param codec what the camera sends
     * @param frameId Foxglove's {@code frame_id}
     * @return {@link #compressedImage} for JPEG, {@link #compressedVideo} otherwise
     */
    public static RecordCodec<EncodedPacket> forPackets(VideoCodec codec, String frameId) {
        return codec.stillImage() ? compressedImage(frameId) : compressedVideo(frameId);
    }

    /**
     * Decoded frames as {@code foxglove.RawImage}: {@code bgr8}, {@code rgb8} or {@code mono8}, rows as the
     * frame holds them. An I420 frame is refused with an error naming {@link #jpeg} (Foxglove shows no
     * planar YUV).
     *
     * @param frameId Foxglove's {@code frame_id}
     * @return the codec
     */
    public static RecordCodec<VideoFrame> rawImage(String frameId) {
        return new RawCodec(frameId);
    }

    /**
     * Decoded frames JPEG-compressed here (with the JDK's encoder) as {@code foxglove.CompressedImage}.
     *
     * @param frameId Foxglove's {@code frame_id}
     * @param quality from 0.05 to 1.0; 0.8 is a good default
     * @return the codec
     */
    public static RecordCodec<VideoFrame> jpeg(String frameId, float quality) {
        return new JpegCodec(frameId, quality);
    }

    /**
     * A frame as a {@link java.awt.image.BufferedImage} (BGR, or grey for GRAY8; I420 converted), to save as
     * PNG or show: what the recordings' tool uses to export frames.
     *
     * @param frame a frame with pixels
     * @return a new image
     */
    public static java.awt.image.BufferedImage toImage(VideoFrame frame) {
        if (frame.length() == 0) {
            throw new IllegalArgumentException("the frame has no pixels");
        }
        return JpegFrames.image(frame, null);
    }

    private static String checkedFrameId(String frameId) {
        Objects.requireNonNull(frameId, "frameId");
        return frameId;
    }

    /** Bytes of a direct buffer as a base64 field, through a scratch array that grows to the largest. */
    static final class Scratch {
        byte[] bytes = new byte[0];

        byte[] of(ByteBuffer data, int length) {
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, bytes.length + bytes.length / 2)];
            }
            data.get(0, bytes, 0, length);
            return bytes;
        }
    }

    /** CompressedImage and CompressedVideo: same fields, the schema name says which. */
    private static final class PacketCodec extends JsonCodec<EncodedPacket> {
        private final String frameId;
        private final boolean still;
        private final long epochMinusNano = StreamFiles.epochMinusNano();
        private final Scratch scratch = new Scratch();

        PacketCodec(String schema, String frameId, boolean still) {
            super(schema, EncodedPacket.type(64 * 1024), new String[] {"timestamp", "frame_id", "data", "format"},
                    new String[] {"time", "string", "bytes", "string"});
            this.frameId = checkedFrameId(frameId);
            this.still = still;
        }

        @Override
        void writeFields(EncodedPacket p, JsonGenerator g) throws IOException {
            if (p.codec() == VideoCodec.OTHER) {
                throw new IOException("a " + p.codec() + " packet has no format Foxglove knows; record the decoded "
                        + "frames instead (ImageCodecs.jpeg or rawImage)");
            }
            if (p.codec().stillImage() != still) {
                throw new IOException("a " + p.codec() + " packet is " + (still ? "a video frame: record it with "
                        + "ImageCodecs.compressedVideo" : "a still image: record it with ImageCodecs.compressedImage"));
            }
            writeTime(g, "timestamp", p.captureNanos() + epochMinusNano);
            g.writeStringField("frame_id", frameId);
            g.writeFieldName("data");
            g.writeBinary(scratch.of(p.data(), p.length()), 0, p.length());
            g.writeStringField("format", p.codec().formatName());
        }

        @Override
        void readField(int index, JsonParser p, EncodedPacket into) throws IOException {
            switch (index) {
                case 0:
                    into.stamp(into.sequence(), readTime(p) - epochMinusNano, into.streamTimestampMicros());
                    break;
                case 1:
                    break;
                case 2: {
                    byte[] b = p.getBinaryValue();
                    into.prepare(into.codec(), b.length, into.keyFrame(), 0, 0).put(0, b);
                    break;
                }
                default: {
                    VideoCodec c = codecNamed(p.getText());
                    if (c.stillImage() != still) {
                        throw new IOException("format " + p.getText() + " does not belong in " + schemaName());
                    }
                    ByteBuffer kept = into.data();
                    into.prepare(c, kept.remaining(), c.stillImage(), into.width(), into.height());
                }
            }
        }

        private static VideoCodec codecNamed(String name) throws IOException {
            for (VideoCodec c : VideoCodec.values()) {
                if (c != VideoCodec.OTHER && c.formatName().equals(name)) {
                    return c;
                }
            }
            throw new IOException("unknown image format " + name);
        }
    }

    /** RawImage: pixels as the frame holds them. */
    private static final class RawCodec extends JsonCodec<VideoFrame> {
        private final String frameId;
        private final long epochMinusNano = StreamFiles.epochMinusNano();
        private final Scratch scratch = new Scratch();

        RawCodec(String frameId) {
            super("foxglove.RawImage", VideoFrame.type(0), new String[] {"timestamp", "frame_id", "width", "height",
                "encoding", "step", "data"}, new String[] {"time", "string", "integer", "integer", "string", "integer",
                "bytes"});
            this.frameId = checkedFrameId(frameId);
        }

        @Override
        void writeFields(VideoFrame f, JsonGenerator g) throws IOException {
            String encoding = encodingOf(f.format());
            writeTime(g, "timestamp", f.captureNanos() + epochMinusNano);
            g.writeStringField("frame_id", frameId);
            g.writeNumberField("width", f.width());
            g.writeNumberField("height", f.height());
            g.writeStringField("encoding", encoding);
            g.writeNumberField("step", f.stride());
            g.writeFieldName("data");
            g.writeBinary(scratch.of(f.pixels(), f.length()), 0, f.length());
        }

        private static String encodingOf(PixelFormat format) throws IOException {
            switch (format) {
                case BGR24: return "bgr8";
                case RGB24: return "rgb8";
                case GRAY8: return "mono8";
                default: throw new IOException("Foxglove shows no " + format + " raw image: record these frames "
                        + "with ImageCodecs.jpeg, or ask the camera for BGR24");
            }
        }

        /** Fields arrive in any order: the pixels are placed once width, height, encoding and step are known. */
        private int width;
        private int height;
        private int step;
        private PixelFormat format;
        private byte[] data;

        @Override
        void startDecode(VideoFrame into) {
            data = null;
            format = null;
            width = 0;
            height = 0;
            step = 0;
        }

        @Override
        void readField(int index, JsonParser p, VideoFrame into) throws IOException {
            switch (index) {
                case 0: into.stamp(-1, readTime(p) - epochMinusNano, 0); break;
                case 1: break;
                case 2: width = p.getIntValue(); break;
                case 3: height = p.getIntValue(); break;
                case 4: format = formatOf(p.getText()); break;
                case 5: step = p.getIntValue(); break;
                default: data = p.getBinaryValue();
            }
            if (data != null && format != null && width > 0 && height > 0 && step > 0) {
                if (data.length != format.frameBytes(height, step)) {
                    throw new IOException("raw image data is not height x step bytes");
                }
                long stamp = into.captureNanos();
                into.prepare(width, height, step, format).put(0, data);
                into.stamp(-1, stamp, 0);
                startDecode(into);
            }
        }

        private static PixelFormat formatOf(String encoding) throws IOException {
            switch (encoding) {
                case "bgr8": return PixelFormat.BGR24;
                case "rgb8": return PixelFormat.RGB24;
                case "mono8": return PixelFormat.GRAY8;
                default: throw new IOException("raw image encoding " + encoding + " is not one twinlane reads");
            }
        }
    }

    /** Frames JPEG-compressed on the calling thread. */
    private static final class JpegCodec extends JsonCodec<VideoFrame> {
        private final String frameId;
        private final long epochMinusNano = StreamFiles.epochMinusNano();
        private final JpegFrames jpeg;

        JpegCodec(String frameId, float quality) {
            super("foxglove.CompressedImage", VideoFrame.type(0), new String[] {"timestamp", "frame_id", "data",
                "format"}, new String[] {"time", "string", "bytes", "string"});
            this.frameId = checkedFrameId(frameId);
            this.jpeg = new JpegFrames(quality);
        }

        @Override
        void writeFields(VideoFrame f, JsonGenerator g) throws IOException {
            int n = jpeg.encode(f);
            writeTime(g, "timestamp", f.captureNanos() + epochMinusNano);
            g.writeStringField("frame_id", frameId);
            g.writeFieldName("data");
            g.writeBinary(jpeg.bytes(), 0, n);
            g.writeStringField("format", "jpeg");
        }

        @Override
        void readField(int index, JsonParser p, VideoFrame into) throws IOException {
            switch (index) {
                case 0: into.stamp(-1, readTime(p) - epochMinusNano, 0); break;
                case 2: {
                    long stamp = into.captureNanos();
                    JpegFrames.decode(p.getBinaryValue(), into);
                    into.stamp(-1, stamp, 0);
                    break;
                }
                case 3:
                    if (!p.getText().equals("jpeg")) {
                        throw new IOException("format " + p.getText() + " is not jpeg");
                    }
                    break;
                default:
            }
        }
    }
}
