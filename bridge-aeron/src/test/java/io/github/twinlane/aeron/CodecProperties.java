package io.github.twinlane.aeron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** The built-in codecs: exact round trips, and garbage rejected rather than delivered. */
class CodecProperties {

    @Property
    void motorCommandsRoundTrip(@ForAll long seq, @ForAll double velocity, @ForAll long sent) {
        MotorCodecs.Command c = new MotorCodecs.Command();
        MotorCommand m = new MotorCommand();
        m.sequence = seq;
        m.velocity = velocity;
        m.sentNanos = sent;
        ExpandableDirectByteBuffer b = new ExpandableDirectByteBuffer(8);
        int len = c.encode(m, b, 3);
        MotorCommand back = new MotorCommand();
        boolean ok = c.decode(b, 3, len, back);
        assertEquals(Double.isFinite(velocity), ok, "a non-finite velocity is refused, any other kept");
        if (ok) {
            assertEquals(seq, back.sequence);
            assertEquals(Double.doubleToLongBits(velocity), Double.doubleToLongBits(back.velocity));
            assertEquals(sent, back.sentNanos, "nanoTime survives the epoch conversion exactly");
        }
    }

    @Property
    void telemetryRoundTrips(@ForAll long seq, @ForAll double v, @ForAll double p, @ForAll double sp,
                             @ForAll long last, @ForAll long lastSent) {
        MotorCodecs.Telemetry c = new MotorCodecs.Telemetry();
        MotorTelemetry m = new MotorTelemetry();
        m.sequence = seq;
        m.velocity = v;
        m.position = p;
        m.setpoint = sp;
        m.lastCommandSequence = last;
        m.lastCommandSentNanos = lastSent;
        ExpandableDirectByteBuffer b = new ExpandableDirectByteBuffer(8);
        int len = c.encode(m, b, 0);
        MotorTelemetry back = new MotorTelemetry();
        assertTrue(c.decode(b, 0, len, back));
        assertEquals(seq, back.sequence);
        assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits(back.velocity));
        assertEquals(Double.doubleToLongBits(p), Double.doubleToLongBits(back.position));
        assertEquals(Double.doubleToLongBits(sp), Double.doubleToLongBits(back.setpoint));
        assertEquals(last, back.lastCommandSequence);
        assertEquals(lastSent, back.lastCommandSentNanos);
    }

    @Property(tries = 200)
    void framesRoundTripBitExact(@ForAll @IntRange(min = 1, max = 64) int w, @ForAll @IntRange(min = 1, max = 48) int h,
                                 @ForAll @IntRange(min = 0, max = 7) int pad, @ForAll PixelFormat fmt,
                                 @ForAll long seq, @ForAll long capture, @ForAll long stream) {
        if (fmt == PixelFormat.I420 && (w % 2 != 0 || h % 2 != 0)) {
            w += w % 2;
            h += h % 2;
        }
        int stride = w * fmt.bytesPerPixel() + pad;
        VideoFrame f = new VideoFrame(16);
        ByteBuffer px = f.prepare(w, h, stride, fmt);
        for (int i = 0; i < px.limit(); i++) {
            px.put(i, (byte) (i * 31 + seq));
        }
        f.stamp(seq, capture, stream);
        VideoCodecs.Frames c = new VideoCodecs.Frames(16);
        ExpandableDirectByteBuffer b = new ExpandableDirectByteBuffer(8);
        int len = c.encode(f, b, 0);
        VideoFrame back = new VideoFrame(0);
        assertTrue(c.decode(b, 0, len, back));
        assertEquals(w, back.width());
        assertEquals(h, back.height());
        assertEquals(stride, back.stride());
        assertEquals(fmt, back.format());
        assertEquals(seq, back.sequence());
        assertEquals(capture, back.captureNanos());
        assertEquals(stream, back.streamTimestampMicros());
        assertEquals(f.pixels(), back.pixels(), "pixels bit-exact");
    }

    @Property(tries = 1000)
    void garbageNeverEscapesTheFrameDecoder(@ForAll @Size(max = 400) byte[] bytes) {
        VideoCodecs.Frames c = new VideoCodecs.Frames(16);
        VideoFrame into = new VideoFrame(0);
        boolean ok = c.decode(new UnsafeBuffer(bytes), 0, bytes.length, into);
        if (ok) {
            assertEquals(into.format().frameBytes(into.height(), into.stride()), into.length(),
                    "a frame decoded from any bytes is internally consistent");
            assertEquals(bytes.length - VideoCodecs.Frames.HEADER, into.length());
        }
    }

    @Property(tries = 1000)
    void garbageNeverEscapesTheMotorDecoders(@ForAll @Size(max = 80) byte[] bytes) {
        MotorCommand cmd = new MotorCommand();
        boolean ok = new MotorCodecs.Command().decode(new UnsafeBuffer(bytes), 0, bytes.length, cmd);
        if (ok) {
            assertEquals(MotorCodecs.Command.LENGTH, bytes.length);
            assertTrue(Double.isFinite(cmd.velocity), "no NaN or infinite velocity reaches a drive");
        }
        boolean okT = new MotorCodecs.Telemetry().decode(new UnsafeBuffer(bytes), 0, bytes.length, new MotorTelemetry());
        assertEquals(bytes.length == MotorCodecs.Telemetry.LENGTH, okT);
    }
}
