package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pixels from a decoded FFmpeg frame into a channel's preallocated {@link VideoFrame}: copied as
 * delivered when twinlane can describe the camera's format and the configuration asks for that,
 * else converted (and scaled) by swscale straight into the frame's buffer. Keeps swscale's cached
 * context and one native view per frame buffer, so nothing is allocated per frame.
 *
 * <p>Threading: the camera's reader thread, under the driver's native lock; {@link #free()} too.
 */
final class FrameConverter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameConverter.class);
    private static final int MAX_VIEWS = 64;

    private final CameraConfig config;
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);
    private final Map<ByteBuffer, BytePointer> views = new IdentityHashMap<>();
    private SwsContext sws;
    private boolean warnedFormat;

    FrameConverter(CameraConfig config) {
        this.config = config;
    }

    /**
     * Fills {@code into} with {@code frame}'s pixels.
     *
     * @param frame a decoded frame; only read
     * @param into the channel's slot, resized if needed
     */
    void convert(AVFrame frame, VideoFrame into) {
        int w = frame.width();
        int h = frame.height();
        if (config.asDelivered()) {
            PixelFormat native_ = nativeFormat(frame.format());
            if (native_ != null) {
                int stride = native_ == PixelFormat.I420 ? w : w * native_.bytesPerPixel();
                ByteBuffer buf = into.prepare(w, h, stride, native_);
                av_image_copy_to_buffer(view(buf), buf.limit(), frame.data(), frame.linesize(), frame.format(), w, h, 1);
                return;
            }
            if (!warnedFormat) {
                warnedFormat = true;
                LOG.warn("Camera {} delivers pixel format {} that twinlane's VideoFrame cannot describe; converting to {}",
                        config.source().url(), av_get_pix_fmt_name(frame.format()).getString(), config.pixelFormat());
            }
        }
        int outW = config.width() > 0 ? config.width() : w;
        int outH = config.height() > 0 ? config.height() : h;
        PixelFormat pf = config.pixelFormat();
        int dstFormat = switch (pf) {
            case BGR24 -> AV_PIX_FMT_BGR24;
            case RGB24 -> AV_PIX_FMT_RGB24;
            case GRAY8 -> AV_PIX_FMT_GRAY8;
            case I420 -> AV_PIX_FMT_YUV420P;
        };
        sws = sws_getCachedContext(sws, w, h, frame.format(), outW, outH, dstFormat, SWS_BILINEAR,
                (SwsFilter) null, (SwsFilter) null, (DoublePointer) null);
        int stride = outW * pf.bytesPerPixel();
        ByteBuffer buf = into.prepare(outW, outH, stride, pf);
        BytePointer base = view(buf);
        dstData.put(0, base);
        dstStride.put(0, stride);
        if (pf == PixelFormat.I420) { // three planes in the one buffer: Y, then U and V at half size
            int chromaStride = (stride + 1) / 2;
            long u = (long) stride * outH;
            long v = u + (long) chromaStride * ((outH + 1) / 2);
            dstData.put(1, base.getPointer(u));
            dstData.put(2, base.getPointer(v));
            dstStride.put(1, chromaStride);
            dstStride.put(2, chromaStride);
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstData, dstStride);
    }

    /** A native view of a frame slot's buffer, made once per buffer. */
    private BytePointer view(ByteBuffer buf) {
        BytePointer dst = views.get(buf);
        if (dst == null) {
            if (views.size() > MAX_VIEWS) {
                views.clear(); // slots were reallocated many times: forget the old ones
            }
            dst = new BytePointer(buf);
            views.put(buf, dst);
        }
        return dst;
    }

    private static PixelFormat nativeFormat(int avFormat) {
        if (avFormat == AV_PIX_FMT_GRAY8) {
            return PixelFormat.GRAY8;
        }
        if (avFormat == AV_PIX_FMT_BGR24) {
            return PixelFormat.BGR24;
        }
        if (avFormat == AV_PIX_FMT_RGB24) {
            return PixelFormat.RGB24;
        }
        if (avFormat == AV_PIX_FMT_YUV420P || avFormat == AV_PIX_FMT_YUVJ420P) {
            return PixelFormat.I420;
        }
        return null;
    }

    /** Frees swscale's context and forgets the buffer views (they are the frames' own memory). */
    void free() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        views.clear();
    }
}
