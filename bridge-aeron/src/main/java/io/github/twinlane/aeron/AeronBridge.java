package io.github.twinlane.aeron;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.exceptions.DriverTimeoutException;
import io.github.twinlane.ChannelConfig;
import io.github.twinlane.DeviceChannel;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.TwinlaneRuntime;
import io.github.twinlane.cycle.IdleStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes twinlane channels beyond one process over Aeron: {@link #export} publishes a channel's
 * data (and forwards importers' commands to it, if allowed); {@link #remote} makes a driver for a
 * device exported elsewhere, opened like any other with {@link TwinlaneRuntime#open}.
 *
 * <pre>{@code
 * // on the controller, next to the drive
 * AeronBridge bridge = AeronBridge.launch(runtime, BridgeConfig.embedded());
 * bridge.export(drive, Link.udp(10), Schemas.motor(), ExportOptions.defaults().acceptCommands(true));
 *
 * // on the operator station
 * AeronBridge bridge = AeronBridge.launch(runtime, BridgeConfig.embedded());
 * DeviceChannel<MotorCommand, MotorTelemetry> drive = runtime.open(ChannelConfig.slow("drive").build(),
 *         bridge.remote("drive", Link.udp(10), Schemas.motor(), RemoteOptions.defaults()));
 * }</pre>
 *
 * <p>Threads: an embedded media driver runs one thread for its conductor, sender and receiver
 * (Aeron names it after the directory, {@code ... [sender,receiver,driver-conductor]}; it backs off
 * to 100 us parks when idle, never spinning) and one that idles in a queue for name resolution
 * ({@code aeron-executor}); the Aeron client runs one more ({@code aeron-client}). {@link #threads()}
 * lists them. Each export has one slow-lane I/O thread and each remote device the threads its
 * channel gives any blocking driver, both the runtime's. All stop when the bridge closes, which
 * {@link #launch} ties to the runtime's close. Threads are created by the thread calling
 * {@code launch} and inherit its CPU affinity; the runtime's CPU plan moves them off the fast
 * lane's core as it does every other thread.
 *
 * <p>Security: Aeron's UDP transport has no authentication or encryption. Links default to
 * loopback; a link on any other address logs a reminder, and belongs on a trusted network segment.
 * Remote commands are refused unless an export enables them.
 *
 * <p>Thread-safe.
 */
public final class AeronBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AeronBridge.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    /**
     * The bridge's polling threads (the embedded driver, each export, each remote device's reader)
     * park at most this long when idle, backing off from 1 us: Aeron has no blocking wait, so this
     * trades latency against wake-ups (at most 10,000 a second per idle thread, well under 1% of a core).
     */
    static final long MAX_IDLE_PARK_NANOS = 100_000;

    /**
     * How a bridge thread waits when a poll found nothing: parks that double from 1 µs to 100 µs, and
     * start short again after work; a queued command unparks it at once. Never spins. One per thread.
     */
    static IdleStrategy idleStrategy() {
        return io.github.twinlane.cycle.BackoffIdleStrategy.of(0, 0, java.time.Duration.ofNanos(1_000), java.time.Duration.ofNanos(MAX_IDLE_PARK_NANOS));
    }
    private static final long DRIVER_MAX_PARK_NANOS = MAX_IDLE_PARK_NANOS;
    /**
     * UDP socket buffers and receiver window of the embedded driver: Aeron's 128 KiB defaults move a
     * 6 MB frame in about fifty flow-control round trips; 2 MiB in three. The kernel caps the buffers
     * at net.core.rmem_max / wmem_max.
     */
    private static final int SOCKET_BUFFER = 2 << 20;

    private final TwinlaneRuntime runtime;
    private final BridgeConfig config;
    private final MediaDriver driver;
    private final Aeron aeron;
    private final String directory;
    private final List<Export> exports = new CopyOnWriteArrayList<>();
    /** The longest an export's tap thread parks with nothing to send: a value waits at most this before Aeron. */
    static final Duration EXPORT_TAP_MAX_WAIT = Duration.ofNanos(100_000);
    private final List<RemoteDevice<?, ?>> remotes = new CopyOnWriteArrayList<>();
    private final List<Thread> started = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private AeronBridge(TwinlaneRuntime runtime, BridgeConfig config) {
        this.runtime = runtime;
        this.config = config;
        MediaDriver md = null;
        String dir;
        if (config.embeddedDriver()) {
            dir = config.directory() != null ? config.directory().toString() : freshDirectory();
            long liveness = config.livenessTimeout().toNanos();
            MediaDriver.Context ctx = new MediaDriver.Context()
                    .aeronDirectoryName(dir)
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .warnIfDirectoryExists(false)
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(10, 20, 1_000, DRIVER_MAX_PARK_NANOS))
                    .socketRcvbufLength(SOCKET_BUFFER)
                    .socketSndbufLength(SOCKET_BUFFER)
                    .initialWindowLength(Math.min(SOCKET_BUFFER, config.termLength() / 2))
                    .sharedThreadFactory(named("twinlane-aeron-driver"))
                    .conductorThreadFactory(named("twinlane-aeron-driver"))
                    .asyncExecutorThreadFactory(named("twinlane-aeron-resolver"))
                    .imageLivenessTimeoutNs(liveness)
                    .publicationConnectionTimeoutNs(liveness)
                    .termBufferSparseFile(true);
            try {
                md = MediaDriver.launch(ctx);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Cannot start the embedded Aeron media driver in " + dir + ": "
                        + e.getMessage() + ". Check that the directory's file system (normally /dev/shm) is writable "
                        + "and has room", e);
            }
        } else {
            dir = config.directory().toString();
            if (!Files.isDirectory(config.directory())) {
                throw new IllegalStateException("No Aeron media driver directory at " + dir + ": start the driver "
                        + "(java -cp aeron-all.jar io.aeron.driver.MediaDriver, with -Daeron.dir=" + dir
                        + ") or use BridgeConfig.embedded()");
            }
        }
        this.directory = dir;
        this.driver = md;
        try {
            this.aeron = Aeron.connect(new Aeron.Context()
                    .aeronDirectoryName(dir)
                    .threadFactory(named("twinlane-aeron-client"))
                    .errorHandler(e -> LOG.error("Aeron client error", e))
                    .driverTimeoutMs(config.embeddedDriver() ? 10_000 : 5_000));
        } catch (DriverTimeoutException | IllegalStateException e) {
            if (md != null) {
                md.close();
            }
            throw new IllegalStateException("No running Aeron media driver answers in " + dir + ": "
                    + e.getMessage() + ". Start it, or use BridgeConfig.embedded()", e);
        }
        LOG.info("Aeron bridge up: {} media driver in {}", config.embeddedDriver() ? "embedded" : "external", dir);
    }

    private static String freshDirectory() {
        Path shm = Path.of("/dev/shm");
        Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        long freed = StaleDirectories.sweep(base);
        if (freed > 0) {
            LOG.info("Aeron bridge: removed the media-driver directories of processes that ended without closing "
                    + "their bridge ({} MB freed in {})", freed >> 20, base);
        }
        return base.resolve("twinlane-aeron-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet())
                .toString();
    }

    /** Daemon threads, each remembered so {@link #threads()} can account for them (Aeron renames them). */
    private ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            started.add(t);
            return t;
        };
    }

    /**
     * Starts a bridge whose life the runtime owns: {@link TwinlaneRuntime#close()} closes it after
     * every channel, so remote devices stop before their transport does.
     *
     * @param runtime the runtime exports and remote devices run on
     * @param config where the media driver is
     * @return the bridge
     * @throws IllegalStateException if the media driver cannot be started or reached; the message
     *     says which and what to do
     */
    public static AeronBridge launch(TwinlaneRuntime runtime, BridgeConfig config) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(config, "config");
        AeronBridge bridge = new AeronBridge(runtime, config);
        runtime.closeWith(bridge);
        return bridge;
    }

    /**
     * Publishes {@code source}'s data on {@code link}. The export rides the slow lane with an I/O
     * thread of its own: the source's lane only copies each message into the export's queue
     * ({@link ExportOptions#policy()} applies when Aeron back-pressures), so a slow or vanished
     * subscriber never stalls it. Commands from importers reach {@code source} only if
     * {@link ExportOptions#acceptCommands()}; a watchdog armed on {@code source} keeps guarding it
     * when the remote commander goes silent.
     *
     * @param source the channel to publish
     * @param link where
     * @param schema its codecs, the same on both sides
     * @param options policy, capacity, remote commands
     * @param <C> command type
     * @param <T> data type
     * @return the running export
     * @throws IllegalStateException if the bridge is closed or an export of that name exists
     */
    public <C, T> Export export(DeviceChannel<C, T> source, Link link, Schema<C, T> schema, ExportOptions options) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        String name = source.name() + "-export-" + link.streamId(); // one channel may go out on several links
        warnIfNetworked(name, link);
        if (options.acceptCommands() && !link.localOnly()) {
            LOG.warn("Export '{}' accepts remote commands on {}: anyone who can reach these ports can command the "
                    + "device. Arm a watchdog on it, and keep the link on a trusted network segment.", name, link);
        }
        ExportDriver<C, T> drv = new ExportDriver<>(name, aeron, link, withTermLength(link.dataChannel()), schema,
                options, source);
        // the carrier carries no data (its queues stay empty): it opens, polls and reopens the link
        ChannelConfig cc = ChannelConfig.slow(name)
                .commandPolicy(io.github.twinlane.BackpressurePolicy.DROP_NEWEST)
                .dataPolicy(io.github.twinlane.BackpressurePolicy.DROP_OLDEST)
                .capacity(2)
                .build();
        DeviceChannel<T, C> carrier = runtime.open(cc, drv);
        // the source's lane only copies into the tap; the tap's thread encodes and offers to Aeron itself
        // its thread parks at most 100 µs when idle (the default tap's 1 ms would add up to that to every value)
        Tap feed = source.tapData(new TapConfig("aeron-" + link.streamId(), options.capacity(), options.policy(),
                EXPORT_TAP_MAX_WAIT), (data, t) -> drv.publish(data));
        Export export = new Export(name, link, carrier, feed, drv);
        exports.add(export);
        return export;
    }

    /**
     * A driver for a device exported elsewhere on {@code link}; open it with
     * {@link TwinlaneRuntime#open} on the lane its use needs.
     *
     * @param name for logs and thread names
     * @param link where the export publishes
     * @param schema its codecs, the same on both sides
     * @param options timeouts and limits
     * @param <C> command type
     * @param <T> data type
     * @return the driver, for one channel
     */
    public <C, T> RemoteDevice<C, T> remote(String name, Link link, Schema<C, T> schema, RemoteOptions options) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        warnIfNetworked(name, link);
        RemoteDevice<C, T> r = new RemoteDevice<>(name, aeron, link, withTermLength(link.commandChannel()), schema,
                options);
        remotes.add(r);
        return r;
    }

    /**
     * Opens a remote device as a channel: {@link #remote} then {@link TwinlaneRuntime#open}.
     *
     * @param config the channel's configuration; its name names the remote device too
     * @param link where the export publishes
     * @param schema its codecs
     * @param <C> command type
     * @param <T> data type
     * @return the channel
     */
    public <C, T> DeviceChannel<C, T> open(ChannelConfig config, Link link, Schema<C, T> schema) {
        return runtime.open(config, remote(config.name(), link, schema, RemoteOptions.defaults()));
    }

    private String withTermLength(String uri) {
        if (!uri.startsWith("aeron:")) {
            return uri;
        }
        ChannelUri parsed = ChannelUri.parse(uri);
        if (parsed.get(CommonContext.TERM_LENGTH_PARAM_NAME) == null) {
            parsed.put(CommonContext.TERM_LENGTH_PARAM_NAME, Integer.toString(config.termLength()));
        }
        return parsed.toString();
    }

    private static void warnIfNetworked(String name, Link link) {
        if (!link.localOnly()) {
            LOG.info("'{}' uses {} beyond loopback. Aeron UDP has no authentication or encryption: keep it on a "
                    + "trusted network segment.", name, link);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this AeronBridge is closed");
        }
    }

    /** @return the exports made, in order */
    public List<Export> exports() {
        return List.copyOf(exports);
    }

    /** @return link counters of every remote device made, in order */
    public List<RemoteStats> remoteStats() {
        return remotes.stream().map(RemoteDevice::stats).toList();
    }

    /**
     * The threads the bridge itself started (Aeron's client conductor and an embedded driver's
     * threads; exports' and remote devices' threads belong to the runtime) that are still alive.
     * After {@link #close()}: none.
     *
     * @return live threads
     */
    public List<Thread> threads() {
        return started.stream().filter(Thread::isAlive).toList();
    }

    /** @return the media driver directory in use */
    public String directory() {
        return directory;
    }

    /**
     * Closes every export, then the Aeron client, then an embedded driver (deleting its directory).
     * Remote device channels should be closed first; {@link #launch} arranges that. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Export e : exports) {
            e.close();
        }
        aeron.close();
        if (driver != null) {
            driver.close();
            try {
                deleteTree(Path.of(directory));
            } catch (UncheckedIOException e) {
                LOG.warn("Aeron directory {} not fully deleted: {}", directory, e.getMessage());
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "AeronBridge[" + directory + (driver != null ? ", embedded" : ", external") + "]";
    }
}
