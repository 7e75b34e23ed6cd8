package io.github.twinlane.aeron;

import io.github.twinlane.MessageType;
import io.github.twinlane.NoCommand;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.nio.ByteBuffer;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/** Codecs for camera channels: frames out, no commands back. */
final class VideoCodecs {
    private static final PixelFormat[] FORMATS = PixelFormat.values();

    private VideoCodecs() {
    }

    /** Zero bytes. */
    static final class None implements WireCodec<NoCommand> {
        @Override
        public MessageType<NoCommand> type() {
            return NoCommand.TYPE;
        }

        @Override
        public int encode(NoCommand m, MutableDirectBuffer b, int o) {
            return 0;
        }

        @Override
        public boolean decode(DirectBuffer b, int o, int length, NoCommand into) {
            return length == 0;
        }
    }

    /**
     * A 40-byte frame header (width, height, stride, format, sequence, capture time as epoch ns,
     * stream timestamp) then the pixels as they are, rows padded to the stride.
     */
    static final class Frames implements WireCodec<VideoFrame> {
        static final int HEADER = 40;
        private final MessageType<VideoFrame> type;

        Frames(int capacityBytes) {
            this.type = VideoFrame.type(capacityBytes);
        }

        @Override
        public MessageType<VideoFrame> type() {
            return type;
        }

        @Override
        public int encode(VideoFrame f, MutableDirectBuffer b, int o) {
            int length = f.length();
            b.putInt(o, f.width(), Wire.ORDER);
            b.putInt(o + 4, f.height(), Wire.ORDER);
            b.putInt(o + 8, f.stride(), Wire.ORDER);
            b.putInt(o + 12, f.format().ordinal(), Wire.ORDER);
            b.putLong(o + 16, f.sequence(), Wire.ORDER);
            b.putLong(o + 24, WallClock.toEpochNanos(f.captureNanos()), Wire.ORDER);
            b.putLong(o + 32, f.streamTimestampMicros(), Wire.ORDER);
            if (length > 0) {
                b.putBytes(o + HEADER, f.pixels(), 0, length);
            }
            return HEADER + length;
        }

        @Override
        public boolean decode(DirectBuffer b, int o, int length, VideoFrame into) {
            if (length < HEADER) {
                return false;
            }
            int w = b.getInt(o, Wire.ORDER);
            int h = b.getInt(o + 4, Wire.ORDER);
            int stride = b.getInt(o + 8, Wire.ORDER);
            int fmt = b.getInt(o + 12, Wire.ORDER);
            int pixels = length - HEADER;
            if (fmt < 0 || fmt >= FORMATS.length) {
                return false;
            }
            if (pixels == 0) {
                return false; // an empty frame is never exported: every frame a camera delivers has pixels
            }
            PixelFormat format = FORMATS[fmt];
            if (w <= 0 || h <= 0 || w > 1 << 15 || h > 1 << 15 || stride < w * format.bytesPerPixel()
                    || stride > 1 << 17 || (long) format.frameBytes(h, stride) != pixels) {
                return false;
            }
            ByteBuffer target = into.prepare(w, h, stride, format);
            b.getBytes(o + HEADER, target, 0, pixels);
            into.stamp(b.getLong(o + 16, Wire.ORDER), WallClock.fromEpochNanos(b.getLong(o + 24, Wire.ORDER)),
                    b.getLong(o + 32, Wire.ORDER));
            return true;
        }
    }
}
