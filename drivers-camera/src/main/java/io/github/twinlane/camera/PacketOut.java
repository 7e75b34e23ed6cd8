package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_HEVC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_flush;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_get_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_init;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_bsf_send_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;

import io.github.twinlane.Subscription;
import io.github.twinlane.internal.SnapshotArray;
import io.github.twinlane.spi.LogLimiter;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketListener;
import io.github.twinlane.video.VideoCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.avcodec.AVBSFContext;
import org.bytedeco.ffmpeg.avcodec.AVBitStreamFilter;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera's compressed packets handed to its {@link PacketListener}s as read, in the form viewers
 * take: H.264 and H.265 from MP4 or Matroska (length-prefixed, parameter sets in the container) are
 * rewritten to Annex B with FFmpeg's {@code *_mp4toannexb} filter, which also puts the parameter sets
 * in front of every key frame; JPEG, VP9, AV1 and Annex B streams pass as they are.
 *
 * <p>Threading: {@link #open}, {@link #emit}, {@link #flush} and {@link #free} on the camera's reader
 * thread under its native lock; {@link #add} from any thread. With no listener nothing is copied.
 */
final class PacketOut {
    private static final Logger LOG = LoggerFactory.getLogger(PacketOut.class);

    private final String url;
    private final SnapshotArray<PacketListener> listeners = new SnapshotArray<>(PacketListener[]::new);
    private final EncodedPacket packet = new EncodedPacket(0); // reader thread; grows to the largest packet
    private final AtomicLong handed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LogLimiter errorLog = new LogLimiter();
    private VideoCodec codec = VideoCodec.OTHER;
    private int width;
    private int height;
    private AVBSFContext annexB;
    private AVPacket filtered;
    private long sequence;

    PacketOut(String url) {
        this.url = url;
    }

    Subscription add(PacketListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        PacketListener hook = listener::onPacket; // its own identity: the same listener added twice is two hooks
        listeners.add(hook, false);
        return () -> listeners.remove(hook);
    }

    /** Learns the stream's codec and, for length-prefixed H.264/H.265, sets up the Annex B filter. */
    void open(AVCodecParameters par, AVRational timeBase) throws IOException {
        free();
        int id = par.codec_id();
        codec = id == AV_CODEC_ID_MJPEG ? VideoCodec.JPEG : id == AV_CODEC_ID_H264 ? VideoCodec.H264
                : id == AV_CODEC_ID_HEVC ? VideoCodec.H265 : id == AV_CODEC_ID_VP9 ? VideoCodec.VP9
                : id == AV_CODEC_ID_AV1 ? VideoCodec.AV1 : VideoCodec.OTHER;
        width = Math.max(0, par.width());
        height = Math.max(0, par.height());
        boolean lengthPrefixed = (codec == VideoCodec.H264 || codec == VideoCodec.H265) && par.extradata_size() > 0
                && par.extradata().get(0) == 1; // avcC / hvcC configuration record: not Annex B
        if (!lengthPrefixed) {
            return;
        }
        String name = codec == VideoCodec.H264 ? "h264_mp4toannexb" : "hevc_mp4toannexb";
        AVBitStreamFilter filter = av_bsf_get_by_name(name);
        if (filter == null || filter.isNull()) {
            throw new IOException("FFmpeg has no " + name + " filter to hand out the packets of " + url);
        }
        AVBSFContext ctx = new AVBSFContext(null);
        if (av_bsf_alloc(filter, ctx) < 0) {
            throw new IOException("could not allocate FFmpeg's " + name + " filter for " + url);
        }
        annexB = ctx;
        avcodec_parameters_copy(ctx.par_in(), par);
        ctx.time_base_in(timeBase);
        if (av_bsf_init(ctx) < 0) {
            throw new IOException("could not start FFmpeg's " + name + " filter for " + url);
        }
        filtered = av_packet_alloc();
    }

    /** @return whether anyone listens (the reader skips {@link #emit} otherwise) */
    boolean wanted() {
        return listeners.size() > 0;
    }

    /** Hands one packet (the demuxer's, unchanged) to every listener, through the filter if there is one. */
    void emit(AVPacket source, long captureNanos, long streamMicros) {
        PacketListener[] ls = listeners.get();
        if (ls.length == 0) {
            return;
        }
        if (annexB == null) {
            hand(source, ls, captureNanos, streamMicros);
            return;
        }
        if (av_packet_ref(filtered, source) < 0 || av_bsf_send_packet(annexB, filtered) < 0) {
            av_packet_unref(filtered);
            fail("FFmpeg's Annex B filter refused a packet", null);
            return;
        }
        while (av_bsf_receive_packet(annexB, filtered) == 0) {
            hand(filtered, ls, captureNanos, streamMicros);
            av_packet_unref(filtered);
        }
    }

    private void hand(AVPacket p, PacketListener[] ls, long captureNanos, long streamMicros) {
        int size = p.size();
        ByteBuffer into = packet.prepare(codec, size, codec.stillImage() || (p.flags() & AV_PKT_FLAG_KEY) != 0,
                width, height);
        if (size > 0) {
            into.put(0, p.data().capacity(size).asByteBuffer(), 0, size);
        }
        packet.stamp(sequence++, captureNanos, streamMicros);
        for (PacketListener l : ls) {
            try {
                l.onPacket(packet);
                handed.incrementAndGet();
            } catch (RuntimeException e) {
                fail("a packet listener threw", e);
            }
        }
    }

    private void fail(String what, RuntimeException e) {
        failed.incrementAndGet();
        long n = errorLog.due();
        if (n > 0) {
            LOG.error("Camera {}: {} ({} such error(s) since the last report); the camera keeps reading", url, what,
                    n, e);
        }
    }

    /** After a seek: the filter forgets the packets it holds. */
    void flush() {
        if (annexB != null) {
            av_bsf_flush(annexB);
        }
    }

    void free() {
        if (annexB != null) {
            av_bsf_free(annexB);
            annexB = null;
        }
        if (filtered != null) {
            av_packet_free(filtered);
            filtered = null;
        }
    }

    /** @return packets handed to listeners (once per listener) */
    long handed() {
        return handed.get();
    }

    /** @return packets the filter refused plus listener calls that threw */
    long failed() {
        return failed.get();
    }
}
