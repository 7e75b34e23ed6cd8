package io.github.twinlane.record;

import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.SafetyEvent;
import io.github.twinlane.Tap;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.SleepingIdleStrategy;
import io.github.twinlane.record.mcap.McapWriter;
import io.github.twinlane.spi.LogLimiter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flight recorder: the last seconds of chosen channels kept in memory (bounded by a window and by
 * bytes) and written to an MCAP file when something goes wrong: an emergency stop latches, a watchdog
 * trips, a channel goes {@link ChannelState#FAILED}, or the application calls {@link #dump}.
 *
 * <pre>{@code
 * BlackBox box = BlackBox.start(rt, BlackBoxConfig.into(Path.of("blackbox")));
 * box.data(drive, MotorCodecs.telemetry()).commands(drive, MotorCodecs.command());
 * }</pre>
 *
 * <p>Threading and cost: as a {@link Recording}, each stream is a {@link Tap}: the lane copies each
 * value into the tap's ring and never waits; the tap's slow-lane thread encodes it into the memory
 * window (one small array per value). A dump snapshots the window and a slow-lane service of its own
 * ({@code twinlane-slow-blackbox-writer}, from {@link io.github.twinlane.ConcurrentScheduler#run})
 * writes the file, so the thread that hit the emergency stop or the supervisor that saw the watchdog
 * trip returns at once. Triggers that arrive while a dump is pending are merged into it. Thread-safe.
 */
public final class BlackBox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlackBox.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS")
            .withZone(ZoneOffset.UTC);

    private final TwinlaneRuntime runtime;
    private final BlackBoxConfig config;
    private final long epochMinusNano;
    private final Object lock = new Object();
    private final ArrayDeque<Entry> window = new ArrayDeque<>(); // guarded by lock
    private long bytes; // guarded by lock
    private long evicted; // guarded by lock
    private final List<Stream<?>> streams = new CopyOnWriteArrayList<>();
    private final Set<String> watched = new HashSet<>(); // channels whose triggers are subscribed; guarded by lock
    /** The most distinct reasons one pending dump keeps; more are counted in its reason, not kept. */
    static final int MAX_REASONS = 8;
    private final Set<String> pendingReasons = new LinkedHashSet<>(); // guarded by itself; bounded: MAX_REASONS
    private long pendingExtra; // guarded by pendingReasons: asked for past MAX_REASONS distinct reasons
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private final AtomicLong failedDumps = new AtomicLong();
    private final LogLimiter errorLog = new LogLimiter();
    private final DutyCycleRunner writer;
    private volatile boolean closed;

    /** One kept value: which stream, when, and its encoded bytes. */
    private record Entry(int stream, long sequence, long logNanos, long publishNanos, byte[] data) {
    }

    private BlackBox(TwinlaneRuntime runtime, BlackBoxConfig config) {
        this.runtime = runtime;
        this.config = config;
        this.epochMinusNano = StreamFiles.epochMinusNano();
        this.writer = runtime.concurrentScheduler().run("blackbox", "writer", this::writePending,
                new SleepingIdleStrategy(Duration.ofMillis(100)));
    }

    /**
     * Starts a black box with no streams yet.
     *
     * @param runtime the runtime whose channels it keeps
     * @param config what it keeps and where it writes
     * @return the black box
     * @throws IOException if the directory cannot be created
     */
    public static BlackBox start(TwinlaneRuntime runtime, BlackBoxConfig config) throws IOException {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(config, "config");
        Files.createDirectories(config.directory());
        BlackBox b = new BlackBox(runtime, config);
        runtime.closeWith(b);
        LOG.info("Black box keeps the last {} (at most {} MiB) and writes them into {} on an emergency stop, a "
                + "watchdog trip, a failed channel or dump()", io.github.twinlane.Durations.human(config.window()),
                config.maxBytes() >> 20, config.directory());
        return b;
    }

    /**
     * Keeps a channel's data; its emergency stops, watchdog trips and failure trigger a dump.
     *
     * @param channel the channel
     * @param codec how its data is stored
     * @param <T> the data type
     * @return this
     */
    public <T> BlackBox data(DeviceChannel<?, T> channel, RecordCodec<T> codec) {
        Stream<T> s = add(channel, "/" + channel.name() + "/data", "data", codec);
        s.tap = channel.tapData(StreamFiles.tap("bb", channel.name() + "-data", config.backlog()), s::onValue);
        return this;
    }

    /**
     * Keeps the commands written to a channel's device; its emergency stops, watchdog trips and failure
     * trigger a dump.
     *
     * @param channel the channel
     * @param codec how its commands are stored
     * @param <C> the command type
     * @return this
     */
    public <C> BlackBox commands(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
        Stream<C> s = add(channel, "/" + channel.name() + "/commands", "commands", codec);
        s.tap = channel.tapCommands(StreamFiles.tap("bb", channel.name() + "-cmd", config.backlog()), s::onValue);
        return this;
    }

    private <E> Stream<E> add(DeviceChannel<?, ?> channel, String topic, String direction, RecordCodec<E> codec) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the black box is closed");
            }
            for (Stream<?> s : streams) {
                if (s.topic.equals(topic)) {
                    throw new IllegalStateException(topic + " is kept already");
                }
            }
            Stream<E> s = new Stream<>(streams.size(), topic, channel.name(), direction, codec);
            streams.add(s);
            if (watched.add(channel.name())) {
                channel.onSafetyEvent((ch, event, detail) -> {
                    if (event != SafetyEvent.EMERGENCY_STOP_RELEASED) {
                        dump(ch + " " + event.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                    }
                });
                channel.onStateChange((ch, from, to, cause) -> {
                    if (to == ChannelState.FAILED) {
                        dump(ch + " failed");
                    }
                });
            }
            return s;
        }
    }

    /**
     * Asks for the window to be written now, by the black box's own thread. Returns at once. Requests that
     * arrive while one is pending are merged into it: the first {@value #MAX_REASONS} distinct reasons are
     * named, the rest counted, so a trigger that fires in a loop holds no more memory than that.
     *
     * @param reason in the file's name and metadata, for example {@code "operator"}
     */
    public void dump(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!closed) {
            synchronized (pendingReasons) {
                if (!pendingReasons.contains(reason)) {
                    if (pendingReasons.size() < MAX_REASONS) {
                        pendingReasons.add(reason);
                    } else {
                        pendingExtra++;
                    }
                }
            }
            writer.wake();
        }
    }

    /**
     * Writes the window now, on the calling thread.
     *
     * @param reason in the file's name and metadata
     * @return the file
     * @throws IOException if it cannot be written
     */
    public Path dumpNow(String reason) throws IOException {
        List<Entry> snapshot;
        long evictedSoFar;
        synchronized (lock) {
            snapshot = new ArrayList<>(window);
            evictedSoFar = evicted;
        }
        String safe = reason.replaceAll("[^A-Za-z0-9_-]+", "-");
        Path file = config.directory().resolve("blackbox-" + STAMP.format(Instant.now()) + "-"
                + (safe.length() > 60 ? safe.substring(0, 60) : safe) + ".mcap");
        for (int i = 1; Files.exists(file); i++) {
            file = config.directory().resolve(file.getFileName().toString().replace(".mcap", "") + "-" + i + ".mcap");
        }
        try (McapWriter w = McapWriter.create(file, new McapWriter.Options(config.compression(), 1 << 20, "",
                "twinlane-record blackbox"))) {
            Map<String, Integer> schemas = new HashMap<>();
            int[] channelIds = new int[streams.size()];
            for (Stream<?> s : streams) {
                channelIds[s.index] = StreamFiles.register(w, schemas, s.codec, s.topic, s.channelName, s.direction);
            }
            for (Entry e : snapshot) {
                w.message(channelIds[e.stream()], e.sequence(), e.logNanos() + epochMinusNano,
                        e.publishNanos() + epochMinusNano, e.data(), 0, e.data().length);
            }
            Map<String, String> about = new LinkedHashMap<>();
            about.put("reason", reason);
            about.put("window", io.github.twinlane.Durations.human(config.window()));
            about.put("maxBytes", Long.toString(config.maxBytes()));
            about.put("values", Integer.toString(snapshot.size()));
            about.put("evictedSinceStart", Long.toString(evictedSoFar));
            about.put("cpuPlan", runtime.cpuPlan().toString());
            w.metadata("twinlane.blackbox", about);
        }
        files.add(file);
        LOG.warn("Black box written: {} ({} value(s), reason: {})", file, snapshot.size(), reason);
        return file;
    }

    /** The writer service's duty cycle: one dump for everything asked since the last. */
    private int writePending() {
        String reason;
        synchronized (pendingReasons) {
            if (pendingReasons.isEmpty()) {
                return 0;
            }
            reason = String.join(", ", pendingReasons) + (pendingExtra > 0 ? " and " + pendingExtra + " more" : "");
            pendingReasons.clear();
            pendingExtra = 0;
        }
        try {
            dumpNow(reason);
        } catch (IOException | RuntimeException e) {
            failedDumps.incrementAndGet();
            long n = errorLog.due();
            if (n > 0) {
                LOG.error("Black box could not write its dump into {} ({} failure(s) since the last report): {}",
                        config.directory(), n, e.toString());
            }
        }
        return 1;
    }

    /** @return the dump files written so far */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /**
     * What it holds now.
     *
     * @return values kept, their bytes, values evicted by the window or the byte bound so far, dumps that failed
     */
    public String stats() {
        synchronized (lock) {
            return "black box: " + window.size() + " value(s), " + bytes + " bytes kept, " + evicted + " evicted, "
                    + files.size() + " dump(s), " + failedDumps.get() + " failed";
        }
    }

    /** @return values kept now */
    public int kept() {
        synchronized (lock) {
            return window.size();
        }
    }

    /** @return values evicted so far by the window or the byte bound (the normal life of a black box) */
    public long evicted() {
        synchronized (lock) {
            return evicted;
        }
    }

    /** @return encoded bytes kept now */
    public long keptBytes() {
        synchronized (lock) {
            return bytes;
        }
    }

    /** Stops keeping values; a dump still pending is written first. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Stream<?> s : streams) {
            if (s.tap != null) {
                s.tap.close();
            }
        }
        writePending();
        writer.stop();
        writer.join(System.nanoTime() + 2_000_000_000L);
    }

    private void keep(Entry e) {
        synchronized (lock) {
            window.addLast(e);
            bytes += e.data().length;
            long oldest = e.logNanos() - config.window().toNanos();
            while (!window.isEmpty() && (bytes > config.maxBytes() || window.peekFirst().logNanos() < oldest)) {
                bytes -= window.pollFirst().data().length;
                evicted++;
            }
        }
    }

    /** One kept stream. */
    private final class Stream<E> {
        final int index;
        final String topic;
        final String channelName;
        final String direction;
        final RecordCodec<E> codec;
        final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256); // the tap's thread only
        long sequence; // the tap's thread only
        volatile Tap tap;

        Stream(int index, String topic, String channelName, String direction, RecordCodec<E> codec) {
            this.index = index;
            this.topic = topic;
            this.channelName = channelName;
            this.direction = direction;
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        void onValue(E value, long stampNanos) {
            buffer.reset();
            try {
                codec.encode(value, buffer);
            } catch (IOException | RuntimeException e) {
                long n = errorLog.due();
                if (n > 0) {
                    LOG.error("Black box: could not encode a value of {} ({} such error(s) since the last report): {}",
                            topic, n, e.toString());
                }
                return;
            }
            keep(new Entry(index, sequence++, System.nanoTime(), stampNanos, buffer.toByteArray()));
        }
    }
}
