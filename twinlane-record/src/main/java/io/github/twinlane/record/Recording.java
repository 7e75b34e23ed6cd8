package io.github.twinlane.record;

import io.github.twinlane.DeviceChannel;
import io.github.twinlane.Tap;
import io.github.twinlane.TapStats;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.record.mcap.McapWriter;
import io.github.twinlane.spi.LogLimiter;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records channels into MCAP files while the robot runs: each channel's data or commands, each value
 * with its receive or send time, in a file Foxglove and the MCAP tools open.
 *
 * <pre>{@code
 * try (Recording rec = Recording.start(rt, RecordingConfig.to(Path.of("run.mcap")))) {
 *     rec.data(drive, MotorCodecs.telemetry()).commands(drive, MotorCodecs.command());
 *     ... // run
 * }
 * }</pre>
 *
 * <p>Threading and cost to the lanes: a recorded stream observes its channel through a
 * {@link Tap}, so the lane only copies each value into the tap's ring, never waiting and allocating
 * nothing; the tap's slow-lane thread encodes the value and writes it into the file under the
 * recording's lock (compressing a full chunk there too). When the file is busy the tap's ring (the
 * {@linkplain RecordingConfig#backlog() backlog}; two for a thinned stream, see
 * {@link #data(DeviceChannel, RecordCodec, Duration)}) keeps the newest values and counts the ones it drops;
 * the counts go into each file's {@code twinlane.drops} metadata at close. This class's methods are
 * thread-safe.
 *
 * <p>Closing the runtime closes the recording too (after its channels stopped), so a file is finished
 * even if the application forgets; a crash leaves it readable up to its last chunk.
 *
 * <p>Time: {@code log_time} is when the value was written into the file and {@code publish_time} when
 * the channel received it from the device (data) or the application sent it (commands), both in
 * nanoseconds since the Unix epoch.
 */
public final class Recording implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);
    /** Values a thinned stream ({@link #data(DeviceChannel, RecordCodec, Duration)} with an interval) holds. */
    static final int THINNED_BACKLOG = 2;

    private final TwinlaneRuntime runtime;
    private final RecordingConfig config;
    private final long epochMinusNano; // add to System.nanoTime() for ns since the Unix epoch
    private final Object lock = new Object();
    private final List<Stream<?>> streams = new CopyOnWriteArrayList<>();
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private final LogLimiter errorLog = new LogLimiter();
    private McapWriter writer; // guarded by lock
    private Map<String, Integer> schemaIds = new HashMap<>(); // guarded by lock; per file
    private long fileStartNanos; // guarded by lock
    private boolean closed; // guarded by lock
    private volatile Stream<ChannelEvent> eventStream; // set once, under the lock
    private volatile io.github.twinlane.cycle.DutyCycleRunner eventWriter;
    private final java.util.concurrent.ConcurrentLinkedQueue<TimedEvent> eventQueue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final List<AutoCloseable> feeders = new CopyOnWriteArrayList<>(); // loop recorders: closed first

    private Recording(TwinlaneRuntime runtime, RecordingConfig config) {
        this.runtime = runtime;
        this.config = config;
        this.epochMinusNano = StreamFiles.epochMinusNano();
    }

    /**
     * Opens the first file and starts a recording with no streams yet.
     *
     * @param runtime the runtime whose channels will be recorded
     * @param config where and how
     * @return the recording
     * @throws IOException if the file cannot be created
     */
    public static Recording start(TwinlaneRuntime runtime, RecordingConfig config) throws IOException {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(config, "config");
        Recording r = new Recording(runtime, config);
        synchronized (r.lock) {
            r.openFile(config.file());
        }
        runtime.closeWith(r); // closing the runtime finishes the file, after its channels stopped
        LOG.info("Recording into {} ({} chunks of {} KiB{})", config.file(), config.compression(),
                config.chunkBytes() / 1024, config.splitBytes() > 0 || !config.splitAfter().isZero()
                        ? ", split by " + (config.splitBytes() > 0 ? config.splitBytes() / (1 << 20) + " MiB " : "")
                        + (config.splitAfter().isZero() ? "" : io.github.twinlane.Durations.human(config.splitAfter()))
                        : "");
        return r;
    }

    /**
     * Records a channel's data on topic {@code /<channel>/data}.
     *
     * @param channel the channel
     * @param codec how its data is stored
     * @param <T> the data type
     * @return this
     * @throws IllegalStateException if the recording is closed or the channel's data is recorded already
     */
    public <T> Recording data(DeviceChannel<?, T> channel, RecordCodec<T> codec) {
        return data(channel, codec, Duration.ZERO);
    }

    /**
     * Records a channel's data on topic {@code /<channel>/data}, at most one value per {@code interval}:
     * for frames compressed on the recording's thread ({@link ImageCodecs#jpeg}), where every frame would
     * cost more CPU than the robot can spare. The values in between are left out on purpose and counted
     * as {@linkplain RecordingStats.Stream#thinned() thinned}; the lane still copies each into the stream's
     * backlog, which holds two values here whatever the {@linkplain RecordingConfig#backlog() backlog}
     * (with its slack and spares, seven preallocated 1280×720 frames, 18.5 MiB, where the default backlog
     * would take 32 MiB). A value the recording's thread could not take in time, because it was encoding
     * the last one or waiting for the file, is dropped and counted as dropped, though most such values would
     * have been thinned anyway.
     *
     * @param channel the channel
     * @param codec how its data is stored
     * @param interval the least time between two recorded values (by receive time); zero for every value
     * @param <T> the data type
     * @return this
     * @throws IllegalStateException if the recording is closed or the channel's data is recorded already
     */
    public <T> Recording data(DeviceChannel<?, T> channel, RecordCodec<T> codec, Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must be zero or more, was " + interval);
        }
        Stream<T> s = new Stream<>("/" + channel.name() + "/data", channel.name(), "data", codec);
        s.intervalNanos = interval.toNanos();
        add(s);
        // a thinned stream keeps a few values, not the backlog: it records one per interval, and a frame
        // channel's backlog of frames would be megabytes each
        int backlog = s.intervalNanos > 0 ? THINNED_BACKLOG : config.backlog();
        s.tap = channel.tapData(StreamFiles.tap("rec", channel.name() + "-data", backlog), s::onValue);
        return this;
    }

    /**
     * Records the commands written to a channel's device on topic {@code /<channel>/commands}.
     *
     * @param channel the channel
     * @param codec how its commands are stored
     * @param <C> the command type
     * @return this
     * @throws IllegalStateException if the recording is closed or the channel's commands are recorded already
     */
    public <C> Recording commands(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
        Stream<C> s = new Stream<>("/" + channel.name() + "/commands", channel.name(), "commands", codec);
        add(s);
        s.tap = channel.tapCommands(StreamFiles.tap("rec", channel.name() + "-cmd", config.backlog()), s::onValue);
        return this;
    }

    /**
     * Records a camera's compressed packets as it sent them, never decoded, on topic
     * {@code /<name>/packets}: an MJPEG camera's JPEGs with {@link ImageCodecs#compressedImage}, an H.264
     * camera's access units with {@link ImageCodecs#compressedVideo} ({@link ImageCodecs#forPackets} picks).
     * The camera's reader copies each packet into a ring of at most 32 (a second at 30 frames/s; fewer if
     * the {@linkplain RecordingConfig#backlog() backlog} is smaller) and the tap's thread writes it; when
     * the file falls behind, packets are dropped and counted. A dropped H.264 packet leaves the video
     * undecodable until the next key frame; a dropped JPEG loses only itself.
     *
     * @param name the camera's name in the topic, usually its channel's
     * @param camera the camera's driver, as a packet source
     * @param codec how its packets are stored
     * @return this
     * @throws IllegalStateException if the recording is closed or the topic is recorded already
     */
    public Recording packets(String name, PacketSource camera, RecordCodec<EncodedPacket> codec) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(camera, "camera");
        Stream<EncodedPacket> s = new Stream<>("/" + name + "/packets", name, "packets", codec);
        add(s);
        s.tap = runtime.concurrentScheduler().tapPackets(camera, StreamFiles.tap("rec", name + "-pkt",
                Math.min(32, config.backlog())), s::onValue);
        return this;
    }

    private void add(Stream<?> s) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("recording into " + config.file() + " is closed");
            }
            for (Stream<?> other : streams) {
                if (other.topic.equals(s.topic)) {
                    throw new IllegalStateException(s.topic + " is recorded already");
                }
            }
            s.register();
            streams.add(s);
        }
    }

    /**
     * Records the channels' state changes and safety events (emergency stops, releases, watchdog trips)
     * on topic {@code /twinlane/events} as JSON {@link ChannelEvent}s. The listeners only queue each event
     * (at most the backlog; more are dropped and counted); a slow-lane service of the recording's writes
     * them, so the thread that changed the state or stopped the motor never waits for the file.
     *
     * @param channels the channels to watch
     * @return this
     */
    public Recording events(DeviceChannel<?, ?>... channels) {
        Stream<ChannelEvent> s;
        synchronized (lock) {
            s = eventStream;
            if (s == null) {
                s = new Stream<>("/twinlane/events", "twinlane", "events", EventCodec.INSTANCE);
                add(s);
                eventStream = s;
                Stream<ChannelEvent> events = s;
                eventWriter = runtime.concurrentScheduler().run("recording", "events", () -> {
                    int n = 0;
                    for (TimedEvent e; (e = eventQueue.poll()) != null; n++) {
                        queued.decrementAndGet();
                        events.onValue(e.event, e.nanos);
                    }
                    return n;
                }, new io.github.twinlane.cycle.SleepingIdleStrategy(java.time.Duration.ofMillis(50)));
            }
        }
        for (DeviceChannel<?, ?> ch : channels) {
            ch.onStateChange((name, from, to, cause) -> event(name, "state", from.name(), to.name(),
                    cause == null ? "" : cause.toString()));
            ch.onSafetyEvent((name, event, detail) -> event(name, event.name(), "", "", detail));
        }
        return this;
    }

    /** A listener's thread: queue the event for the events service (bounded; never blocks). */
    private void event(String channel, String kind, String from, String to, String detail) {
        Stream<ChannelEvent> s = eventStream;
        s.offered.incrementAndGet();
        if (queued.incrementAndGet() > config.backlog()) {
            queued.decrementAndGet();
            s.dropped.incrementAndGet();
            return;
        }
        ChannelEvent e = new ChannelEvent();
        e.channel = channel;
        e.kind = kind;
        e.from = from;
        e.to = to;
        e.detail = detail;
        eventQueue.add(new TimedEvent(e, System.nanoTime()));
        eventWriter.wake();
    }

    private record TimedEvent(ChannelEvent event, long nanos) {
    }

    /**
     * A stream fed by one thread of the caller's (a loop recorder's service), not by a tap.
     *
     * @throws IllegalStateException if the recording is closed or the topic is recorded already
     */
    <E> Stream<E> stream(String topic, String channelName, String direction, RecordCodec<E> codec) {
        Stream<E> s = new Stream<>(topic, channelName, direction, codec);
        add(s);
        return s;
    }

    /** Closes {@code feeder} (a loop recorder) first when this recording closes, so what it holds is written. */
    void feeder(AutoCloseable feeder) {
        feeders.add(feeder);
    }

    /** The runtime whose channels this records. */
    TwinlaneRuntime runtime() {
        return runtime;
    }

    /** @return the files written so far, the current one last */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /** @return every stream's counters */
    public RecordingStats stats() {
        List<RecordingStats.Stream> out = new ArrayList<>();
        for (Stream<?> s : streams) {
            out.add(s.stats());
        }
        return new RecordingStats(files(), out);
    }

    // ------------------------------------------------------------------ the file, under the lock

    private void openFile(Path path) throws IOException {
        writer = McapWriter.create(path, new McapWriter.Options(config.compression(), config.chunkBytes(), "",
                "twinlane-record"));
        schemaIds = new HashMap<>();
        fileStartNanos = System.nanoTime();
        files.add(path);
    }

    private void rollIfDue() throws IOException {
        boolean bySize = config.splitBytes() > 0 && writer.size() >= config.splitBytes();
        boolean byTime = !config.splitAfter().isZero() && System.nanoTime() - fileStartNanos >= config.splitAfter().toNanos();
        if (!bySize && !byTime) {
            return;
        }
        closeFile();
        String name = config.file().getFileName().toString();
        String stem = name.substring(0, name.length() - ".mcap".length());
        Path next = config.file().resolveSibling(String.format("%s-%03d.mcap", stem, files.size()));
        openFile(next);
        for (Stream<?> s : streams) {
            s.register();
        }
        LOG.info("Recording continues in {} (the previous file reached its {})", next, bySize ? "size" : "duration");
    }

    private void closeFile() throws IOException {
        Map<String, String> about = new LinkedHashMap<>();
        about.put("robot", config.robot());
        about.put("library", "twinlane-record");
        about.put("cpuPlan", runtime.cpuPlan().toString());
        about.put("compression", config.compression().toString());
        about.put("backlog", Integer.toString(config.backlog()));
        writer.metadata("twinlane", about);
        Map<String, String> drops = new LinkedHashMap<>();
        for (Stream<?> s : streams) {
            RecordingStats.Stream st = s.stats();
            drops.put(st.topic(), "offered " + st.offered() + " written " + st.written() + " dropped " + st.dropped()
                    + " failed " + st.failed() + " thinned " + st.thinned());
        }
        writer.metadata("twinlane.drops", drops);
        writer.close();
    }

    /**
     * Stops every stream, then writes the last chunk, the metadata (drop counts included), the summary
     * and the footer. Values still in a stream's backlog are counted as dropped. Idempotent.
     *
     * @throws IOException if the file cannot be finished (it is then readable up to its last chunk:
     *     {@link io.github.twinlane.record.mcap.McapRecovery})
     */
    @Override
    public void close() throws IOException {
        for (AutoCloseable f : feeders) {
            try {
                f.close();
            } catch (Exception e) {
                report("a loop recorder could not finish", e);
            }
        }
        for (Stream<?> s : streams) {
            if (s.tap != null) {
                s.tap.close(); // no value reaches the writer after this
            }
        }
        io.github.twinlane.cycle.DutyCycleRunner events = eventWriter;
        if (events != null) {
            events.stop();
            events.join(System.nanoTime() + 2_000_000_000L);
            Stream<ChannelEvent> s = eventStream;
            for (TimedEvent e; (e = eventQueue.poll()) != null; ) {
                queued.decrementAndGet();
                s.onValue(e.event, e.nanos); // the events told before close are written, on this thread
            }
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            closeFile();
        }
        RecordingStats st = stats();
        LOG.info("Recording closed: {} value(s) written, {} dropped, into {}", st.written(), st.dropped(), st.files());
    }

    @Override
    public String toString() {
        return "recording " + stats();
    }

    /** One recorded stream: a tap, a codec, its channel id in the current file, its counters. */
    final class Stream<E> {
        final String topic;
        final String channelName;
        final String direction;
        final RecordCodec<E> codec;
        final Bytes bytes = new Bytes(); // the tap's thread only
        final AtomicLong written = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong offered = new AtomicLong(); // streams without a tap (events) only
        final AtomicLong dropped = new AtomicLong(); // streams without a tap (events) only
        final AtomicLong thinned = new AtomicLong();
        long intervalNanos; // set before the tap starts
        long lastStamp; // the feeding thread only
        boolean any; // the feeding thread only
        volatile Tap tap;
        int channelId; // guarded by lock
        long sequence; // guarded by lock

        Stream(String topic, String channelName, String direction, RecordCodec<E> codec) {
            this.topic = topic;
            this.channelName = channelName;
            this.direction = direction;
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /** Adds this stream's schema and channel to the current file. Under the lock. */
        void register() {
            channelId = StreamFiles.register(writer, schemaIds, codec, topic, channelName, direction);
        }

        /** The tap's thread: encode, then write under the lock, numbered by this stream's own counter. */
        void onValue(E value, long stampNanos) {
            onValue(value, true, stampNanos, -1);
        }

        /**
         * Encodes (or, for {@code present == false}, writes an empty message) and writes under the lock.
         * The one thread that feeds this stream.
         *
         * @param sequence the message's sequence (a loop's cycle), or -1 for the stream's own counter
         */
        void onValue(E value, boolean present, long stampNanos, long sequence) {
            if (intervalNanos > 0) {
                if (any && stampNanos - lastStamp < intervalNanos) {
                    thinned.incrementAndGet();
                    return;
                }
                any = true;
                lastStamp = stampNanos;
            }
            bytes.reset();
            if (present) {
                try {
                    codec.encode(value, bytes);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    report("could not encode a value of " + topic + " with " + codec.schemaName(), e);
                    return;
                }
            }
            synchronized (lock) {
                if (closed) {
                    failed.incrementAndGet();
                    return;
                }
                try {
                    rollIfDue();
                    long now = System.nanoTime();
                    long seq = sequence >= 0 ? sequence : this.sequence++;
                    writer.message(channelId, seq, now + epochMinusNano, stampNanos + epochMinusNano,
                            bytes.array(), 0, bytes.size());
                    written.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    report("could not write " + topic + " into " + files.get(files.size() - 1), e);
                }
            }
        }

        RecordingStats.Stream stats() {
            Tap t = tap;
            TapStats ts = t == null ? null : t.stats();
            long offered = ts == null ? this.offered.get() : ts.offered();
            long dropped = ts == null ? this.dropped.get() : ts.dropped();
            return new RecordingStats.Stream(topic, offered, written.get(), dropped, failed.get(), thinned.get());
        }
    }

    private void report(String what, Throwable e) {
        long n = errorLog.due();
        if (n > 0) {
            LOG.error("Recording: {} ({} such error(s) since the last report): {}", what, n, e.toString());
        }
    }

    /** A byte sink whose buffer is reused from value to value. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(256);
        }

        byte[] array() {
            return buf;
        }
    }
}
