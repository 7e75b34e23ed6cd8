package io.github.twinlane.foxglove;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.ChannelState;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.NoCommand;
import io.github.twinlane.SendResult;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.SleepingIdleStrategy;
import io.github.twinlane.motor.MotorCommand;
import io.github.twinlane.motor.MotorTelemetry;
import io.github.twinlane.record.ImageCodecs;
import io.github.twinlane.record.MotorCodecs;
import io.github.twinlane.record.RecordCodec;
import io.github.twinlane.spi.LogLimiter;
import io.github.twinlane.video.EncodedPacket;
import io.github.twinlane.video.PacketSource;
import io.github.twinlane.video.VideoFrame;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live view: a Foxglove WebSocket server ({@code foxglove.websocket.v1}) that Foxglove and Lichtblick
 * connect to, showing the channels the application publishes, their camera images, a
 * {@code /twinlane/stats} topic (every channel's counters and state, every loop's lateness and missed
 * deadlines, the CPU plan) once a second, the server's time, {@code status} messages when a channel goes
 * FAILED or a watchdog trips or an emergency stop latches, and {@code foxglove.Log} lines when the
 * application writes them.
 *
 * <pre>{@code
 * FoxgloveServer view = FoxgloveServer.start(runtime, FoxgloveConfig.loopback());
 * view.publish(drive, cam0, cam1);                   // telemetry and commands as JSON, frames as JPEG
 * System.out.println("Foxglove: open a connection to " + view.url());
 * }</pre>
 *
 * <p><b>Cost to the lanes.</b> Every published stream is a {@link Tap}: the lane copies each value into
 * the tap's bounded ring and never waits; the tap's slow-lane thread encodes the value once, only while
 * a viewer subscribes to it, and offers its bytes to each subscriber's queue. A value the codec cannot
 * encode (an exception, a direct buffer's {@link OutOfMemoryError}) is dropped and counted, and the next
 * one is encoded afresh. Frames the server JPEG-compresses itself are compressed at most once per
 * {@link FoxgloveConfig#imageInterval()} on the topic's thread.
 *
 * <p><b>Bounds.</b> What a viewer, or anything that connects, can make the server hold:
 * <ul>
 * <li>Each viewer's outbound queue, through which goes everything sent to it (values, the time, server info,
 *     advertisements, status replies, pings and pongs), holds at most
 *     {@link FoxgloveConfig#clientBufferBytes()} bytes (or one larger message, alone) and
 *     {@link FoxgloveConfig#clientBufferMessages()} messages. What finds it full is dropped and counted in
 *     {@link #stats()} (per viewer and topic, and by why: bytes or messages); once full it takes nothing
 *     until it has drained to half. A slow viewer loses values and never blocks a lane, a topic, another
 *     viewer or the server; one whose queue stays full for {@link FoxgloveConfig#unwritableTimeout()} is
 *     disconnected (1008, the reason in the close frame, which it reads only if it reads again within a
 *     second).</li>
 * <li>A request is answered by at most one status message, whatever number of entries it refuses. While a
 *     viewer's queue is full the server reads nothing more from it (counted in
 *     {@link FoxgloveStats#readsPaused()}): a viewer that stops reading and floods requests fills its own
 *     socket, not the heap the motor loop shares.</li>
 * <li>At most {@link FoxgloveConfig#maxPendingConnections()} connections wait for their WebSocket handshake
 *     (one more is closed as it is accepted), each for at most {@link FoxgloveConfig#handshakeTimeout()};
 *     request headers are read up to 16 KiB (more: HTTP 431). At most {@link FoxgloveConfig#maxClients()}
 *     viewers (more: HTTP 503).</li>
 * <li>A viewer that sends nothing is pinged after half of {@link FoxgloveConfig#idleTimeout()} and
 *     disconnected (1001) after all of it, so silent viewers free their places.</li>
 * <li>A message from a viewer holds at most {@link FoxgloveConfig#maxMessageBytes()}, fragmented or not
 *     (more: 1009). Every connection gets one close frame: 1002 for a protocol error (an invalid close code
 *     included, RFC 6455 7.4), 1007 for what is not this protocol, 1009 for a message too big; a viewer's own
 *     close is answered with its code.</li>
 * </ul>
 *
 * <p><b>Threads.</b> One Netty event loop ({@code twinlane-slow-foxglove-io-1}) for every connection,
 * made by the runtime's thread factory on the slow lane's CPUs; one service
 * ({@code twinlane-slow-foxglove-service}) for time, stats, status, viewer commands and the check, ten
 * times a second, that disconnects viewers whose queue stayed full; one tap thread
 * per published stream. Closing the server, or the runtime, closes every connection and ends them all
 * within {@link FoxgloveConfig#closeTimeout()}.
 *
 * <p><b>Commands from viewers</b> are off. {@link #acceptCommands} turns them on for one channel: a
 * viewer may then advertise {@code /<channel>/commands} (JSON of that channel's codec) and publish on it;
 * each command is decoded on the service thread and goes through the channel's {@code send}, so through
 * its policy, and a watchdog armed on the channel still stops the device when the viewer goes silent.
 * Anything published elsewhere is refused, counted, and told once per connection in a status message.
 *
 * <p><b>Security.</b> The server listens on the loopback interface unless another host is named (then it
 * logs a WARN). With a token ({@link FoxgloveConfig#token()}) a viewer must connect to
 * {@code ws://host:port/?token=...}; it is compared in constant time. The protocol itself has no
 * encryption and no per-topic permissions: on a network anyone who can reach the port and has the token
 * sees every published topic, and the token travels in clear text. For a robot on a shared network,
 * keep the default loopback and reach it through an SSH tunnel.
 *
 * <p><b>Why Netty.</b> Its event loop takes the runtime's thread factory, so the server's one thread is
 * a twinlane thread placed like the rest of the slow lane; its handlers bound what a connection may send
 * (HTTP line and header limits, frame and message sizes, idle detection) and its outbound buffer is the
 * viewer's queue (counted at the offer by {@code OutboundQueue}, since Netty's writability is a flag that
 * concurrent writers overshoot and that counts no messages); and its graceful shutdown is bounded.
 * Java-WebSocket, smaller, starts threads of its own (a selector and decoder workers) that twinlane could
 * neither name nor place. NIO transport only: no native library.
 *
 * <p>Thread-safe.
 */
public final class FoxgloveServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FoxgloveServer.class);
    static final String STATS_TOPIC = "/twinlane/stats";
    static final String LOG_TOPIC = "/twinlane/log";

    private final TwinlaneRuntime runtime;
    private final FoxgloveConfig config;
    private final long epochMinusNano;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final AtomicInteger nextTopicId = new AtomicInteger(1);
    private final Map<Integer, ServerTopic<?>> topics = new ConcurrentHashMap<>();
    private final Map<String, CommandSink<?>> commandSinks = new ConcurrentHashMap<>();
    private final Map<String, ServerTopic<?>> commandTopics = new ConcurrentHashMap<>();
    private final Set<DeviceChannel<?, ?>> watched = ConcurrentHashMap.newKeySet(); // forgotten when they close
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong commandsAccepted = new AtomicLong();
    private final AtomicLong commandsDropped = new AtomicLong();
    private final AtomicLong encodeFailures = new AtomicLong();
    private final AtomicLong readsPaused = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong overPendingLimit = new AtomicLong();
    private final AtomicLong handshakeTimeouts = new AtomicLong();
    private final AtomicLong idleDisconnects = new AtomicLong();
    private final AtomicLong unwritableDisconnects = new AtomicLong();
    private FoxgloveStats.Outbound endedOutbound = FoxgloveStats.Outbound.NONE; // guarded by sessions
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final ArrayBlockingQueue<ViewerCommand> commands = new ArrayBlockingQueue<>(256);
    private final LogLimiter errorLog = new LogLimiter(); // guarded by itself: any thread may log
    private final LogLimiter pendingLog = new LogLimiter(); // the event loop only
    private final ServerTopic<ServerTopics.Snapshot> statsTopic;
    private final ServerTopic<ServerTopics.LogLine> logTopic;
    private final EventLoopGroup group;
    private final List<Thread> ioThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Channel listener;
    private final String url;
    private final DutyCycleRunner service;
    private volatile boolean closed;

    private FoxgloveServer(TwinlaneRuntime runtime, FoxgloveConfig config) throws IOException {
        this.runtime = runtime;
        this.config = config;
        Instant now = Instant.now();
        this.epochMinusNano = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
        this.statsTopic = new ServerTopic<>(nextTopicId.getAndIncrement(), STATS_TOPIC, ServerTopics.STATS, 0,
                epochMinusNano, alloc, encodeFailures);
        this.logTopic = new ServerTopic<>(nextTopicId.getAndIncrement(), LOG_TOPIC, ServerTopics.LOG, 0,
                epochMinusNano, alloc, encodeFailures);
        topics.put(statsTopic.id, statsTopic);
        topics.put(logTopic.id, logTopic);
        java.util.concurrent.ThreadFactory lane = runtime.concurrentScheduler().threadFactory("foxglove", "io");
        this.group = new MultiThreadIoEventLoopGroup(1, body -> {
            Thread t = lane.newThread(body);
            ioThreads.add(t); // joined when the event loop stops
            return t;
        }, NioIoHandler.newFactory());
        FoxgloveServer self = this;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // the same bounds as each viewer's OutboundQueue, so that Netty's own writability agrees with it
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.clientBufferBytes() / 2, config.clientBufferBytes()))
                .childHandler(new ViewerPipeline(self));
        try {
            this.listener = b.bind(config.host(), config.port()).sync().channel();
        } catch (Exception e) {
            stopEventLoop(0, System.nanoTime() + config.closeTimeout().toNanos()); // no thread outlives a failed start
            throw new IOException("the live view could not listen on " + config.host() + ":" + config.port() + " ("
                    + e + "): pick another port with FoxgloveConfig.withPort, or 0 for any free one", e);
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        this.url = "ws://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + port;
        try {
            this.service = runtime.concurrentScheduler().run("foxglove", "service", new Service(),
                    new SleepingIdleStrategy(Duration.ofMillis(20)));
        } catch (RuntimeException e) { // the runtime closed meanwhile: leave nothing running
            listener.close();
            stopEventLoop(0, System.nanoTime() + config.closeTimeout().toNanos());
            throw e;
        }
        if (!config.loopbackOnly()) {
            LOG.warn("Live view listens on {} ({}): anyone who reaches this port{} sees every published topic, "
                    + "unencrypted. Keep the default 127.0.0.1 and use an SSH tunnel on a shared network.", url,
                    config.host(), config.token() == null ? " (no token is set)" : " with the token");
        }
        LOG.info("Live view for Foxglove at {}", url);
    }

    /**
     * Starts a server; it closes with the runtime.
     *
     * @param runtime the runtime whose channels it shows
     * @param config where it listens and its limits
     * @return the running server
     * @throws IOException if it cannot listen (the message says which address and what to change)
     */
    public static FoxgloveServer start(TwinlaneRuntime runtime, FoxgloveConfig config) throws IOException {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(config, "config");
        FoxgloveServer s = new FoxgloveServer(runtime, config);
        try {
            runtime.closeWith(s);
        } catch (IllegalStateException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** @return where viewers connect, e.g. {@code ws://127.0.0.1:8765} (add {@code /?token=...} if one is set) */
    public String url() {
        return url;
    }

    /** @return the configuration */
    public FoxgloveConfig config() {
        return config;
    }

    // ------------------------------------------------------------------ what is published

    /**
     * Publishes channels with the encodings twinlane knows, in one call: a drive's telemetry and
     * commands as JSON ({@link MotorCodecs}), a camera's frames JPEG-compressed at most once per
     * {@link FoxgloveConfig#imageInterval()} ({@link #publishFrames}). For a camera whose driver hands
     * out its own JPEGs, prefer {@link #publishPackets}; for your own types, {@link #publishData} and
     * {@link #publishCommands}.
     *
     * @param channels the channels
     * @return this
     * @throws IllegalArgumentException naming a channel whose data type has no built-in encoding, and the call to use
     */
    public FoxgloveServer publish(DeviceChannel<?, ?>... channels) {
        ensureOpen();
        for (DeviceChannel<?, ?> ch : channels) {
            Object data = ch.dataType().newInstance();
            Object command = ch.commandType().newInstance();
            if (data instanceof MotorTelemetry) {
                @SuppressWarnings("unchecked")
                DeviceChannel<?, MotorTelemetry> drive = (DeviceChannel<?, MotorTelemetry>) ch;
                publishData(drive, MotorCodecs.telemetry());
            } else if (data instanceof VideoFrame) {
                @SuppressWarnings("unchecked")
                DeviceChannel<?, VideoFrame> camera = (DeviceChannel<?, VideoFrame>) ch;
                publishFrames(camera);
            } else {
                throw new IllegalArgumentException("channel '" + ch.name() + "' carries " + data.getClass().getName()
                        + ", which has no built-in encoding: publish it with publishData(channel, yourRecordCodec)");
            }
            if (command instanceof MotorCommand) {
                @SuppressWarnings("unchecked")
                DeviceChannel<MotorCommand, ?> drive = (DeviceChannel<MotorCommand, ?>) ch;
                publishCommands(drive, MotorCodecs.command());
            } else if (!(command instanceof NoCommand)) {
                LOG.info("Live view: the commands of channel '{}' ({}) are not published: no built-in encoding; "
                        + "publishCommands(channel, yourRecordCodec) shows them", ch.name(), command.getClass().getName());
            }
        }
        return this;
    }

    /**
     * Publishes a channel's data on topic {@code /<channel>/data}.
     *
     * @param channel the channel
     * @param codec its encoding (the recording's, so a live view and a recording look the same)
     * @param <T> the data type
     * @return this
     */
    public <T> FoxgloveServer publishData(DeviceChannel<?, T> channel, RecordCodec<T> codec) {
        ensureOpen();
        ServerTopic<T> t = topic("/" + channel.name() + "/data", TopicCodec.of(codec), 0);
        t.tap = channel.tapData(tapConfig("fox-data", channel.dataType().newInstance()), t::offer);
        watch(channel);
        advertise(t);
        return this;
    }

    /**
     * Publishes the commands written to a channel's device on topic {@code /<channel>/commands}.
     *
     * @param channel the channel
     * @param codec their encoding
     * @param <C> the command type
     * @return this
     */
    public <C> FoxgloveServer publishCommands(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
        ensureOpen();
        ServerTopic<C> t = topic("/" + channel.name() + "/commands", TopicCodec.of(codec), 0);
        t.tap = channel.tapCommands(tapConfig("fox-cmd", channel.commandType().newInstance()), t::offer);
        watch(channel);
        advertise(t);
        return this;
    }

    /**
     * Publishes a camera channel's decoded frames on {@code /<channel>/data} as {@code foxglove.CompressedImage},
     * JPEG-compressed on the topic's slow-lane thread at most once per {@link FoxgloveConfig#imageInterval()},
     * and only while a viewer subscribes.
     *
     * @param camera the camera's channel
     * @return this
     */
    public FoxgloveServer publishFrames(DeviceChannel<?, VideoFrame> camera) {
        ensureOpen();
        ServerTopic<VideoFrame> t = topic("/" + camera.name() + "/data",
                TopicCodec.of(ImageCodecs.jpeg(camera.name(), 0.8f)), config.imageInterval().toNanos());
        t.tap = camera.tapData(new TapConfig("fox-frames", 2, BackpressurePolicy.LATEST), t::offer);
        watch(camera);
        advertise(t);
        return this;
    }

    /**
     * Publishes a camera's own compressed packets on {@code /<name>/packets}, never decoded: JPEGs as
     * {@code foxglove.CompressedImage} (at most one per {@link FoxgloveConfig#imageInterval()}), H.264 as
     * {@code foxglove.CompressedVideo} (every packet: a decoder needs them all).
     *
     * @param name the camera's name in the topic, usually its channel's
     * @param camera the camera's driver
     * @param codec {@link ImageCodecs#compressedImage} or {@link ImageCodecs#compressedVideo}
     * @return this
     */
    public FoxgloveServer publishPackets(String name, PacketSource camera, RecordCodec<EncodedPacket> codec) {
        ensureOpen();
        Objects.requireNonNull(camera, "camera");
        boolean still = codec.schemaName().equals("foxglove.CompressedImage");
        ServerTopic<EncodedPacket> t = topic("/" + name + "/packets", TopicCodec.of(codec),
                still ? config.imageInterval().toNanos() : 0);
        t.tap = runtime.concurrentScheduler().tapPackets(camera, new TapConfig(tapName("fox-" + name), 4,
                BackpressurePolicy.LATEST), t::offer);
        advertise(t);
        return this;
    }

    /**
     * Lets viewers send commands to a channel: a viewer may advertise {@code /<channel>/commands} with
     * encoding {@code json} and publish commands in {@code codec}'s JSON on it. Each is decoded on the
     * server's service thread and handed to the channel's {@code send} (its policy applies; a BLOCK policy
     * may hold the service, never the connections); commands that do not decode, or find the server's
     * queue of 256 full, are dropped and counted. Off for every channel unless called.
     *
     * @param channel the channel
     * @param codec the commands' encoding
     * @param <C> the command type
     * @return this
     */
    public <C> FoxgloveServer acceptCommands(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
        ensureOpen();
        String topic = "/" + channel.name() + "/commands";
        commandSinks.put(topic, new CommandSink<>(channel, codec));
        LOG.info("Live view: viewers may send commands to channel '{}' on {}", channel.name(), topic);
        return this;
    }

    /**
     * A status message to every viewer (Foxglove shows it in its problems list). Any thread; queued.
     *
     * @param level {@link LogLevel#INFO}, {@link LogLevel#WARNING} or {@link LogLevel#ERROR} (others map to the nearest)
     * @param message the text
     */
    public void status(LogLevel level, String message) {
        int l = level.value <= 2 ? 0 : level.value == 3 ? 1 : 2;
        String json = ServerJson.status(l, Objects.requireNonNull(message, "message"));
        event(() -> {
            for (Session s : sessions) {
                s.text(json);
            }
        });
    }

    /**
     * A log line on {@code /twinlane/log} as {@code foxglove.Log} (Foxglove's Log panel). Any thread; queued
     * (at most 1,000 waiting; more are dropped and counted in the log).
     *
     * @param level its level
     * @param name where it comes from, e.g. a class or a channel
     * @param message the text
     */
    public void log(LogLevel level, String name, String message) {
        ServerTopics.LogLine line = new ServerTopics.LogLine(System.nanoTime() + epochMinusNano, level, name, message);
        long at = System.nanoTime();
        event(() -> logTopic.offer(line, at));
    }

    /** @return the counters; allocates */
    public FoxgloveStats stats() {
        List<FoxgloveStats.Client> clients = new ArrayList<>();
        for (Session s : sessions) {
            clients.add(s.stats());
        }
        FoxgloveStats.Outbound outbound;
        synchronized (sessions) {
            outbound = endedOutbound;
        }
        for (FoxgloveStats.Client c : clients) {
            outbound = outbound.plus(c.outbound());
        }
        return new FoxgloveStats(url, connections.get(), rejected.get(), malformed.get(), refused.get(),
                commandsAccepted.get(), commandsDropped.get(), encodeFailures.get(), readsPaused.get(), outbound,
                new FoxgloveStats.Disconnects(unwritableDisconnects.get(), idleDisconnects.get(),
                        handshakeTimeouts.get(), overPendingLimit.get()), clients);
    }

    // ------------------------------------------------------------------ topics

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the live view at " + url + " is closed: start another one");
        }
    }

    private <E> ServerTopic<E> topic(String name, TopicCodec<E> codec, long intervalNanos) {
        ensureOpen();
        for (ServerTopic<?> t : topics.values()) {
            if (t.topic.equals(name)) {
                throw new IllegalStateException(name + " is published already");
            }
        }
        return new ServerTopic<>(nextTopicId.getAndIncrement(), name, codec, intervalNanos, epochMinusNano, alloc,
                encodeFailures);
    }

    private static TapConfig tapConfig(String name, Object sample) {
        // a frame slot is megabytes: two are enough for a view; small values get room for a burst
        return new TapConfig(name, sample instanceof VideoFrame ? 2 : 256, BackpressurePolicy.LATEST);
    }

    private static String tapName(String n) {
        String s = n.replaceAll("[^A-Za-z0-9_-]", "_");
        return s.length() > 32 ? s.substring(0, 32) : s;
    }

    private void advertise(ServerTopic<?> t) {
        topics.put(t.id, t);
        String json = ServerJson.advertise(List.of(t));
        for (Session s : sessions) {
            s.text(json);
        }
    }

    /** Status to viewers on state and safety events, and the channel's topics unadvertised when it closes. */
    private void watch(DeviceChannel<?, ?> channel) {
        if (!watched.add(channel)) {
            return;
        }
        // listeners may run on a lane's thread: they only queue, the service does the rest
        channel.onStateChange((name, from, to, cause) -> {
            if (to == ChannelState.CLOSED) {
                watched.remove(channel);
                event(() -> unadvertiseChannel(name));
            } else if (to == ChannelState.FAILED) {
                status(LogLevel.WARNING, "channel " + name + " went FAILED" + (cause == null ? "" : ": " + cause));
            } else if (from == ChannelState.FAILED && to == ChannelState.OPEN) {
                status(LogLevel.INFO, "channel " + name + " is open again");
            }
        });
        channel.onSafetyEvent((name, event, detail) -> status(
                event == io.github.twinlane.SafetyEvent.EMERGENCY_STOP ? LogLevel.ERROR : LogLevel.WARNING,
                "channel " + name + ": " + event + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")")));
    }

    private void unadvertiseChannel(String channel) {
        List<Integer> ids = new ArrayList<>();
        for (ServerTopic<?> t : topics.values()) {
            if (t.topic.startsWith("/" + channel + "/")) {
                ids.add(t.id);
                topics.remove(t.id);
                t.closed = true;
                Tap tap = t.tap;
                if (tap != null) {
                    tap.close();
                }
                for (Session s : sessions) {
                    s.topicRemoved(t);
                }
            }
        }
        if (!ids.isEmpty()) {
            String json = ServerJson.unadvertise(ids);
            for (Session s : sessions) {
                s.text(json);
            }
        }
    }

    private void event(Runnable r) {
        if (queuedEvents.incrementAndGet() > 1000) {
            queuedEvents.decrementAndGet();
            long n = due(errorLog);
            if (n > 0) {
                LOG.warn("Live view: {} status or log message(s) dropped: more than 1000 were waiting", n);
            }
            return;
        }
        events.add(r);
        DutyCycleRunner svc = service;
        if (svc != null) {
            svc.wake();
        }
    }

    // ------------------------------------------------------------------ connections (event loop)

    ServerTopic<?> topic(int id) {
        return topics.get(id);
    }

    ServerTopic<?> commandTopic(String topic) {
        CommandSink<?> sink = commandSinks.get(topic);
        if (sink == null) {
            return null;
        }
        return commandTopics.computeIfAbsent(topic, k -> new ServerTopic<>(-1, k, sink.codec, 0, epochMinusNano,
                alloc, encodeFailures));
    }

    void viewerCommand(ServerTopic<?> target, byte[] data) {
        CommandSink<?> sink = commandSinks.get(target.topic);
        if (sink == null || !commands.offer(new ViewerCommand(sink, data))) {
            commandsDropped.incrementAndGet();
            return;
        }
        service.wake();
    }

    /** A connection passed the handshake's checks: it holds a place until it becomes a session or closes. */
    boolean admit(Channel ch) {
        if (closed) {
            return false;
        }
        if (admitted.incrementAndGet() > config.maxClients()) {
            admitted.decrementAndGet();
            return false;
        }
        ch.attr(ADMITTED).set(Boolean.TRUE);
        return true;
    }

    /** The WebSocket handshake completed: the admitted connection becomes a session (its place goes with it). */
    Session connected(Channel ch) {
        ch.attr(ADMITTED).set(null);
        Session s = new Session(ch, this);
        ch.attr(ControlFrames.SESSION).set(s);
        sessions.add(s);
        connections.incrementAndGet();
        List<String> caps = new ArrayList<>(List.of("time"));
        if (!commandSinks.isEmpty()) {
            caps.add("clientPublish");
        }
        Map<String, String> md = new LinkedHashMap<>();
        md.put("twinlane.cpuPlan", runtime.cpuPlan().toString());
        md.put("twinlane.topics", STATS_TOPIC + " (counters, 1 Hz), " + LOG_TOPIC);
        s.text(ServerJson.serverInfo(config.name(), caps, md, Long.toString(epochMinusNano)));
        s.text(ServerJson.advertise(new ArrayList<>(topics.values())));
        if (closed) {
            s.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server closing");
        }
        return s;
    }

    void disconnected(Session s) {
        s.closed();
        synchronized (sessions) { // its counts move to the totals as it leaves the list
            if (sessions.remove(s)) {
                admitted.decrementAndGet();
                endedOutbound = endedOutbound.plus(s.outbound().ended());
            }
        }
    }

    /** A connection was accepted: it takes one of the places before the handshake, if one is left. Event loop. */
    boolean enterPending() {
        if (pending.incrementAndGet() > config.maxPendingConnections()) {
            pending.decrementAndGet();
            overPendingLimit.incrementAndGet();
            long n = pendingLog.due();
            if (n > 0) {
                LOG.warn("Live view: {} connection(s) closed as accepted: {} others were waiting for their handshake "
                        + "(FoxgloveConfig.maxPendingConnections)", n, config.maxPendingConnections());
            }
            return false;
        }
        return true;
    }

    /** A connection completed its handshake or closed before it. Event loop. */
    void leavePending() {
        pending.decrementAndGet();
    }

    void handshakeTimedOut() {
        handshakeTimeouts.incrementAndGet();
    }

    void idleDisconnect() {
        idleDisconnects.incrementAndGet();
    }

    void releaseAdmission(Channel ch) {
        // a connection that closed before its handshake finished; admitted only if it passed our checks
        if (ch.attr(ADMITTED).getAndSet(null) != null) {
            admitted.decrementAndGet();
        }
    }

    static final io.netty.util.AttributeKey<Boolean> ADMITTED = io.netty.util.AttributeKey.valueOf("twinlane.admitted");

    /** A viewer's queue stayed full longer than the unwritable timeout: it is disconnected (1008). Service thread. */
    private void disconnectUnwritable(Session s, long fullNanos) {
        if (s.close(WebSocketCloseStatus.POLICY_VIOLATION, "not reading: its queue stayed full for "
                + TimeUnit.NANOSECONDS.toMillis(fullNanos) + " ms (FoxgloveConfig.unwritableTimeout)")) {
            unwritableDisconnects.incrementAndGet();
            LOG.warn("Live view: viewer {} disconnected: it read nothing for {} while its queue was full ({})",
                    s.address, config.unwritableTimeout(), s.outbound());
        }
    }

    private static long due(LogLimiter limiter) {
        synchronized (limiter) { // not thread-safe itself: status and log calls come from any thread
            return limiter.due();
        }
    }

    void rejectedHandshake() {
        rejected.incrementAndGet();
    }

    void malformed() {
        malformed.incrementAndGet();
    }

    void readsPaused() {
        readsPaused.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    void connectionError(Throwable t) {
        long n = due(errorLog);
        if (n > 0) {
            LOG.warn("Live view: a connection failed ({} such since the last report): {}", n, t.toString());
        }
    }

    // ------------------------------------------------------------------ the service

    /** Time, stats, queued events and viewer commands, on one slow-lane thread. */
    private final class Service implements io.github.twinlane.cycle.DutyCycle {
        private long nextTime;
        private long nextStats;

        @Override
        public int doWork() {
            int work = 0;
            for (Runnable r; (r = events.poll()) != null; work++) {
                queuedEvents.decrementAndGet();
                r.run();
            }
            for (ViewerCommand c; (c = commands.poll()) != null; work++) {
                if (c.sink.deliver(c.data)) {
                    commandsAccepted.incrementAndGet();
                } else {
                    commandsDropped.incrementAndGet();
                }
            }
            long now = System.nanoTime();
            if (now - nextTime >= 0) {
                nextTime = now + 100_000_000L; // 10 Hz: Foxglove's clock follows the server's
                long stall = config.unwritableTimeout().toNanos();
                for (Session s : sessions) {
                    s.time(now + epochMinusNano);
                    long full = s.fullFor(now);
                    if (full > stall) {
                        disconnectUnwritable(s, full);
                    }
                }
                work++;
            }
            if (now - nextStats >= 0) {
                nextStats = now + 1_000_000_000L;
                if (statsTopic.subscriberCount() > 0) {
                    statsTopic.offer(new ServerTopics.Snapshot(now + epochMinusNano, runtime.cpuPlan().toString(),
                            runtime.channelStats(), runtime.loopStats()), now);
                }
                work++;
            }
            return work;
        }
    }

    /** A channel that takes viewer commands, with the scratch command they are decoded into (service thread). */
    private static final class CommandSink<C> {
        final DeviceChannel<C, ?> channel;
        final TopicCodec<C> codec;
        final RecordCodec<C> decoder;
        final C scratch;

        CommandSink(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
            this.channel = channel;
            this.codec = TopicCodec.of(codec);
            this.decoder = codec;
            this.scratch = channel.commandType().newInstance();
        }

        boolean deliver(byte[] data) {
            return decoder.decode(data, 0, data.length, scratch) && channel.send(scratch) == SendResult.ACCEPTED;
        }
    }

    private record ViewerCommand(CommandSink<?> sink, byte[] data) {
    }

    // ------------------------------------------------------------------ close

    /**
     * Closes every connection (close code 1001), stops publishing and ends the server's threads within
     * the close timeout. Idempotent; also called by the runtime's close.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        for (ServerTopic<?> t : topics.values()) {
            t.closed = true;
            Tap tap = t.tap;
            if (tap != null) {
                tap.close();
            }
        }
        if (service != null) {
            service.stop();
            service.join(deadline);
        }
        if (listener != null) {
            listener.close();
        }
        for (Session s : sessions) {
            s.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server closing");
        }
        // the closing handshakes: each viewer answers its close frame, then its connection ends. Half the
        // time left at most; the event loop's shutdown closes whatever is still open after that
        long handshakes = System.nanoTime() + Math.max(0, deadline - System.nanoTime()) / 2;
        while (!sessions.isEmpty() && System.nanoTime() < handshakes) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        // a short quiet period lets the close frames go out; the deadline bounds the whole shutdown
        boolean ended = stopEventLoop(Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) / 4),
                deadline);
        if (!ended) {
            LOG.error("Live view at {}: its event loop did not end within {}", url, config.closeTimeout());
        }
        LOG.info("Live view at {} closed: {} connection(s) served, {} refused at the handshake, {} malformed "
                + "message(s)", url, connections.get(), rejected.get(), malformed.get());
    }

    /** Shuts the event loop down and waits, until the deadline, for its thread to have ended. */
    private boolean stopEventLoop(long quietMillis, long deadlineNanos) {
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        boolean ended = group.shutdownGracefully(Math.max(0, quietMillis), TimeUnit.NANOSECONDS.toMillis(left),
                TimeUnit.MILLISECONDS).awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
        for (Thread t : ioThreads) { // Netty's termination future completes just before its thread has ended
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            ended &= !t.isAlive();
        }
        return ended;
    }

    @Override
    public String toString() {
        return "FoxgloveServer[" + url + ", " + sessions.size() + " viewer(s), " + topics.size() + " topic(s)]";
    }
}
