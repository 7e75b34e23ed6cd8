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
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import io.github.twinlane.NoCommand;
import io.github.twinlane.Subscription;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.Demand;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.ReadMode;
import io.github.twinlane.video.PacketListener;
import io.github.twinlane.video.PacketSource;
import io.github.twinlane.video.VideoFrame;
import java.io.IOException;
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
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera, video file or network stream as a twinlane device, through FFmpeg (whose types stay
 * inside this package). This class is one FFmpeg session: open, read packets, decode, free, all
 * under one native lock so that {@link #close()} can free what a blocked read uses; pixels are
 * converted by {@link FrameConverter}, files are paced by {@link FilePacer}, blocking calls are
 * bounded by {@link FfmpegInterrupt}. Runs on the slow lane: its read blocks in native code on the channel's own
 * platform reader thread, which also opens it, so FFmpeg's decoder threads inherit that lane's CPUs.
 *
 * <ul>
 *   <li><b>Stalls</b>: every blocking FFmpeg call is bounded by {@link CameraConfig#ioTimeout()}
 *       through an interrupt callback; a stall throws, and the channel reconnects with backoff.
 *       {@link #close()} aborts a blocked call the same way.</li>
 *   <li><b>Decode on demand</b>: for intra-only streams (MJPEG, what most USB cameras send) the
 *       reader keeps reading packets but decodes only when the channel's consumer is waiting, so
 *       a 5 frames/s consumer of a 30 frames/s camera costs about 5 decodes a second.</li>
 *   <li><b>Packets as delivered</b>: as a {@link PacketSource} it hands every compressed packet (JPEG,
 *       H.264 in Annex B form) to packet taps before and whether or not it is decoded, so a recording or a
 *       live view stores the camera's own bytes (the reader copies them only while someone listens).</li>
 *   <li><b>Pooled frames</b>: pixels are converted straight into the channel's preallocated
 *       {@link VideoFrame} buffers; no pixel data is allocated per frame.</li>
 * </ul>
 */
public final class FfmpegCameraDriver extends AbstractDeviceDriver<NoCommand, VideoFrame> implements PacketSource {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegCameraDriver.class);

    private final CameraConfig config;
    private final FfmpegInterrupt interrupt = new FfmpegInterrupt();
    private final FilePacer pacer = new FilePacer();
    private final FrameConverter converter;
    private final PacketOut packetOut;
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
    private int stream = -1;
    private boolean intraOnly;
    private boolean holding;
    private long heldCapture;
    private long heldPts;
    private double timeBaseMicros;
    private long sequence;

    /**
     * A driver.
     *
     * @param config the camera
     * @param frameBytesHint bytes each preallocated frame slot starts with (e.g. {@code 1920 * 1080 * 3});
     *     slots grow once if the stream is larger
     */
    public FfmpegCameraDriver(CameraConfig config, int frameBytesHint) {
        super(java.util.Objects.requireNonNull(config, "config").source().url(), NoCommand.TYPE,
                VideoFrame.type(Math.max(0, frameBytesHint)), ReadMode.BLOCKING);
        this.config = config;
        this.converter = new FrameConverter(config);
        this.packetOut = new PacketOut(config.source().url());
    }

    /**
     * Hands every packet read from now on to {@code listener}, as the camera sent it and whether or
     * not it is decoded (see {@link PacketOut} for the H.264 form): a recorder or viewer stores a
     * camera's own JPEG without a decode. The listener runs on this camera's reader thread and must not
     * block; observe packets through {@link io.github.twinlane.ConcurrentScheduler#tapPackets}, which
     * copies them into a ring for a thread of its own. Any thread.
     */
    @Override
    public Subscription onPacket(PacketListener listener) {
        return packetOut.add(listener);
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
        return new CameraStats(packets.get(), decoded.get(), skipped.get(), decodeErrors.get(), endOfStream,
                packetOut.handed(), packetOut.failed());
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
            interrupt.allow();
            endOfStream = false;
            pacer.reset();
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
        packetOut.open(par, st.time_base());
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
        return interrupt.failure(what, config.source().url(), ret, config.ioTimeout().toMillis());
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
                    packetOut.flush();
                    pacer.looped(); // keep the playback clock running
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
                pacer.pace((long) (pts * timeBaseMicros), interrupt::aborted, config.source().url());
            }
            long capture = System.nanoTime();
            if (packetOut.wanted()) {
                packetOut.emit(pkt, capture, pts == Long.MIN_VALUE ? 0 : (long) (pts * timeBaseMicros));
            }
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
            converter.convert(frame, into);
        } finally {
            av_frame_unref(frame);
        }
        decoded.incrementAndGet();
        into.stamp(sequence++, capture, pts == Long.MIN_VALUE ? 0 : (long) (pts * timeBaseMicros));
        return true;
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
        interrupt.abort();
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
        converter.free();
        packetOut.free();
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
        holding = false;
    }
}
