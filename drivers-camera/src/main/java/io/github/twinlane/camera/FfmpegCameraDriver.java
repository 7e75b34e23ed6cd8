package io.github.twinlane.camera;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_PROP_INTRA_ONLY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_find_input_format;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_image_copy_to_buffer;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.github.twinlane.MessageType;
import io.github.twinlane.NoCommand;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.Demand;
import io.github.twinlane.spi.DeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.video.PixelFormat;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.ffmpeg.swscale.SwsFilter;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera, video file or network stream as a twinlane device, through FFmpeg (whose types stay
 * inside this class). Runs on the slow lane: its read blocks in native code on the channel's own
 * platform reader thread, which also opens it, so FFmpeg's decoder threads inherit that lane's CPUs.
 *
 * <ul>
 *   <li><b>Stalls</b>: every blocking FFmpeg call is bounded by {@link CameraConfig#ioTimeout()}
 *       through an interrupt callback; a stall throws, and the channel reconnects with backoff.
 *       {@link #close()} aborts a blocked call the same way.</li>
 *   <li><b>Decode on demand</b>: for intra-only streams (MJPEG, what most USB cameras send) the
 *       reader keeps reading packets but decodes only when the channel's consumer is waiting, so
 *       a 5 frames/s consumer of a 30 frames/s camera costs about 5 decodes a second.</li>
 *   <li><b>Pooled frames</b>: pixels are converted straight into the channel's preallocated
 *       {@link VideoFrame} buffers; no pixel data is allocated per frame.</li>
 * </ul>
 */
public final class FfmpegCameraDriver implements DeviceDriver<NoCommand, VideoFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegCameraDriver.class);

    private final CameraConfig config;
    private final int capacityHint;
    private final Interrupt interrupt = new Interrupt();
    private final ReentrantLock nativeLock = new ReentrantLock();
    private final AtomicLong packets = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private volatile Demand demand = () -> true;
    private volatile boolean endOfStream;

    // native state: owned by the reader thread, freed under nativeLock
    private AVFormatContext fmt;
    private AVCodecContext dec;
    private AVPacket pkt;
    private AVPacket held;
    private AVFrame frame;
    private SwsContext sws;
    private int stream = -1;
    private boolean intraOnly;
    private boolean holding;
    private long heldCapture;
    private long heldPts;
    private double timeBaseMicros;
    private long sequence;
    private boolean warnedFormat;
    private long paceOriginNanos = Long.MIN_VALUE;
    private long paceOriginMicros;
    private long loopOffsetMicros;
    private long lastMicros;
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
    private final IntPointer dstStride = new IntPointer(4);
    private final Map<ByteBuffer, BytePointer> pointers = new IdentityHashMap<>();

    /**
     * A driver.
     *
     * @param config the camera
     * @param frameBytesHint bytes each preallocated frame slot starts with (e.g. {@code 1920 * 1080 * 3});
     *     slots grow once if the stream is larger
     */
    public FfmpegCameraDriver(CameraConfig config, int frameBytesHint) {
        this.config = config;
        this.capacityHint = Math.max(0, frameBytesHint);
    }

    @Override
    public String describe() {
        return config.source().url();
    }

    @Override
    public MessageType<NoCommand> commandType() {
        return NoCommand.TYPE;
    }

    @Override
    public MessageType<VideoFrame> dataType() {
        return VideoFrame.type(capacityHint);
    }

    @Override
    public ReadMode readMode() {
        return ReadMode.BLOCKING;
    }

    @Override
    public void bind(Demand channelDemand) {
        this.demand = channelDemand;
    }

    /**
     * The driver's counters. Any thread.
     *
     * @return the statistics
     */
    public CameraStats stats() {
        return new CameraStats(packets.get(), decoded.get(), skipped.get(), decodeErrors.get(), endOfStream);
    }

    /** Aborts FFmpeg's blocking calls when the driver closes or an operation passes its deadline. */
    private static final class Interrupt extends AVIOInterruptCB.Callback_Pointer {
        volatile boolean closed;
        volatile long deadline;
        volatile boolean timedOut;

        Interrupt() {
            super();
        }

        void arm(long timeoutNanos) {
            timedOut = false;
            deadline = System.nanoTime() + timeoutNanos;
        }

        @Override
        public int call(Pointer opaque) {
            if (closed) {
                return 1;
            }
            if (System.nanoTime() - deadline > 0) {
                timedOut = true;
                return 1;
            }
            return 0;
        }
    }

    @Override
    public void open() throws IOException {
        FfmpegNatives.ensureAvailability();
        if (config.source() instanceof CameraSource.Device) {
            FfmpegNatives.ensureDeviceLayer();
        }
        nativeLock.lock();
        try {
            freeNative();
            interrupt.closed = false;
            endOfStream = false;
            paceOriginNanos = Long.MIN_VALUE;
            loopOffsetMicros = 0;
            openInput();
        } catch (IOException | RuntimeException e) {
            freeNative();
            throw e;
        } finally {
            nativeLock.unlock();
        }
    }

    private void openInput() throws IOException {
        long timeout = config.ioTimeout().toNanos();
        fmt = avformat_alloc_context();
        fmt.interrupt_callback().callback(interrupt);
        AVDictionary opts = new AVDictionary(null);
        AVInputFormat in = null;
        if (config.source() instanceof CameraSource.Device) {
            in = av_find_input_format("video4linux2");
            if (config.width() > 0) {
                av_dict_set(opts, "video_size", config.width() + "x" + config.height(), 0);
            }
            if (config.fps() > 0) {
                av_dict_set(opts, "framerate", Integer.toString(config.fps()), 0);
            }
            if (config.inputFormat() != null) {
                av_dict_set(opts, "input_format", config.inputFormat(), 0);
            }
        }
        av_dict_set(opts, "rw_timeout", Long.toString(TimeUnit.NANOSECONDS.toMicros(timeout)), 0);
        interrupt.arm(timeout);
        int ret = avformat_open_input(fmt, config.source().url(), in, opts);
        av_dict_free(opts);
        if (ret < 0) {
            fmt = null; // avformat_open_input frees the context on failure
            throw failure("open", ret);
        }
        interrupt.arm(timeout);
        ret = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
        if (ret < 0) {
            throw failure("read stream info of", ret);
        }
        stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
        if (stream < 0) {
            throw new IOException(config.source().url() + " has no video stream");
        }
        AVStream st = fmt.streams(stream);
        timeBaseMicros = 1e6 * st.time_base().num() / Math.max(1, st.time_base().den());
        AVCodecParameters par = st.codecpar();
        AVCodec codec = avcodec_find_decoder(par.codec_id());
        if (codec == null || codec.isNull()) {
            throw new IOException("no FFmpeg decoder for the video codec of " + config.source().url() + " (id "
                    + par.codec_id() + ")");
        }
        AVCodecDescriptor desc = avcodec_descriptor_get(par.codec_id());
        intraOnly = desc != null && !desc.isNull() && (desc.props() & AV_CODEC_PROP_INTRA_ONLY) != 0;
        dec = avcodec_alloc_context3(codec);
        avcodec_parameters_to_context(dec, par);
        dec.thread_count(config.decodeThreads());
        ret = avcodec_open2(dec, codec, (AVDictionary) null);
        if (ret < 0) {
            throw failure("open the decoder of", ret);
        }
        pkt = av_packet_alloc();
        held = av_packet_alloc();
        frame = av_frame_alloc();
        holding = false;
    }

    private IOException failure(String what, int ret) {
        if (interrupt.closed) {
            return new IOException("closed while trying to " + what + " " + config.source().url());
        }
        if (interrupt.timedOut) {
            return new IOException("could not " + what + " " + config.source().url() + " within "
                    + config.ioTimeout().toMillis() + " ms: the stream stalled (camera unplugged or network gone)");
        }
        return new IOException("could not " + what + " " + config.source().url() + ": " + FfmpegErrors.describe(ret));
    }

    @Override
    public boolean read(VideoFrame into) throws IOException {
        nativeLock.lock();
        try {
            if (fmt == null) {
                throw new IOException(config.source().url() + " is closed");
            }
            if (endOfStream) {
                LockSupport.parkNanos(10_000_000L); // a finished file: nothing more, stay cheap
                return false;
            }
            return readLocked(into);
        } finally {
            nativeLock.unlock();
        }
    }

    private boolean readLocked(VideoFrame into) throws IOException {
        long timeout = config.ioTimeout().toNanos();
        boolean onDemand = intraOnly && config.decodeOnDemand();
        while (true) {
            interrupt.arm(timeout);
            int ret = av_read_frame(fmt, pkt);
            if (ret == AVERROR_EOF()) {
                if (!(config.source() instanceof CameraSource.File)) {
                    // a camera or stream has no end: the source went away (process died, cable pulled)
                    throw new IOException(config.source().url() + " ended: the source closed the stream");
                }
                if (config.loopFile()) {
                    av_seek_frame(fmt, -1, 0, AVSEEK_FLAG_BACKWARD);
                    avcodec_flush_buffers(dec);
                    loopOffsetMicros = lastMicros + (long) (1e6 / 30); // keep the playback clock running
                    continue;
                }
                endOfStream = true;
                return false;
            }
            if (ret < 0) {
                throw failure("read", ret);
            }
            if (pkt.stream_index() != stream) {
                av_packet_unref(pkt);
                continue;
            }
            packets.incrementAndGet();
            long pts = pkt.pts();
            if (config.realtime() && config.source() instanceof CameraSource.File && pts != Long.MIN_VALUE) {
                pace((long) (pts * timeBaseMicros));
            }
            long capture = System.nanoTime();
            if (onDemand) {
                if (holding) {
                    skipped.incrementAndGet(); // replaced before anyone wanted it: never decoded
                    av_packet_unref(held);
                }
                av_packet_move_ref(held, pkt);
                holding = true;
                heldCapture = capture;
                heldPts = pts;
                if (!demand.consumerWaiting()) {
                    continue;
                }
                holding = false;
                boolean ok = decode(held, into, heldCapture, heldPts);
                av_packet_unref(held);
                if (ok) {
                    return true;
                }
            } else {
                boolean ok = decode(pkt, into, capture, pts);
                av_packet_unref(pkt);
                if (ok) {
                    return true;
                }
            }
        }
    }

    /** Waits until a file's packet is due by its timestamp, as a camera would deliver it. */
    private void pace(long ptsMicros) throws IOException {
        long t = loopOffsetMicros + ptsMicros;
        lastMicros = t;
        if (paceOriginNanos == Long.MIN_VALUE) {
            paceOriginNanos = System.nanoTime();
            paceOriginMicros = t;
        }
        long due = paceOriginNanos + (t - paceOriginMicros) * 1000;
        long now;
        while ((now = System.nanoTime()) - due < 0) {
            if (interrupt.closed) {
                throw new IOException(config.source().url() + " closed");
            }
            LockSupport.parkNanos(Math.min(due - now, 5_000_000L));
        }
    }

    /** Decodes one packet into {@code into}; false when the decoder needs more packets first. */
    private boolean decode(AVPacket packet, VideoFrame into, long capture, long pts) throws IOException {
        int ret = avcodec_send_packet(dec, packet);
        if (ret < 0 && ret != AVERROR_EAGAIN()) {
            decodeErrors.incrementAndGet();
            throw new CorruptDataException("the decoder rejected a packet of " + config.source().url());
        }
        ret = avcodec_receive_frame(dec, frame);
        if (ret == AVERROR_EAGAIN()) {
            return false;
        }
        if (ret < 0) {
            decodeErrors.incrementAndGet();
            throw new CorruptDataException("could not decode a frame of " + config.source().url());
        }
        try {
            convert(into);
        } finally {
            av_frame_unref(frame);
        }
        decoded.incrementAndGet();
        into.stamp(sequence++, capture, pts == Long.MIN_VALUE ? 0 : (long) (pts * timeBaseMicros));
        return true;
    }

    private void convert(VideoFrame into) {
        int w = frame.width();
        int h = frame.height();
        if (config.asDelivered()) {
            PixelFormat native_ = nativeFormat(frame.format());
            if (native_ != null) {
                int stride = native_ == PixelFormat.I420 ? w : w * native_.bytesPerPixel();
                ByteBuffer buf = into.prepare(w, h, stride, native_);
                av_image_copy_to_buffer(pointer(buf), buf.limit(), frame.data(), frame.linesize(), frame.format(), w, h, 1);
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
        BytePointer base = pointer(buf);
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
    private BytePointer pointer(ByteBuffer buf) {
        BytePointer dst = pointers.get(buf);
        if (dst == null) {
            if (pointers.size() > 64) {
                pointers.clear(); // slots were reallocated many times: forget the old ones
            }
            dst = new BytePointer(buf);
            pointers.put(buf, dst);
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

    @Override
    public void write(NoCommand command) {
        // a camera takes no commands
    }

    /**
     * Aborts a blocked FFmpeg call and frees the native state. Any thread; waits for the reader to
     * leave FFmpeg (prompt, through the interrupt callback) at most the I/O timeout plus a second.
     */
    @Override
    public void close() {
        interrupt.closed = true;
        boolean locked = false;
        try {
            locked = nativeLock.tryLock(config.ioTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.error("Camera {}: the reader did not leave FFmpeg within {} after close; its native state is left "
                    + "allocated rather than freed under it", config.source().url(), config.ioTimeout());
            return;
        }
        try {
            freeNative();
        } finally {
            nativeLock.unlock();
        }
    }

    private void freeNative() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (held != null) {
            av_packet_free(held);
            held = null;
        }
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
        if (fmt != null) {
            avformat_close_input(fmt);
            fmt = null;
        }
        pointers.clear(); // views of the frames' own buffers: nothing to free
        holding = false;
    }
}
