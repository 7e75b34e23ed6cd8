package io.github.twinlane.record;

import io.github.twinlane.MessageType;
import io.github.twinlane.record.mcap.McapChannel;
import io.github.twinlane.record.mcap.McapLimits;
import io.github.twinlane.record.mcap.McapMessage;
import io.github.twinlane.record.mcap.McapReader;
import io.github.twinlane.record.mcap.McapVisitor;
import io.github.twinlane.spi.AbstractDeviceDriver;
import io.github.twinlane.spi.CorruptDataException;
import io.github.twinlane.spi.ReadMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A recorded topic played back as a device: open a channel on it and the same application code runs
 * against a recording, with no hardware. On the {@linkplain Pace#REAL_TIME real clock} each value
 * arrives as long after the previous one as it did when recorded; {@linkplain Pace#AS_FAST_AS_POSSIBLE
 * as fast as possible} it arrives at once. Commands written to it are counted and dropped (a recording
 * cannot answer them). After the last value the device stays silent, or starts over if asked to loop.
 *
 * <pre>{@code
 * DeviceChannel<MotorCommand, MotorTelemetry> drive = rt.open(ChannelConfig.fast("drive").build(),
 *         ReplayDriver.of(Path.of("run.mcap"), "/drive/data", MotorCodecs.telemetry(), MotorCommand.TYPE,
 *                 ReplayDriver.Pace.REAL_TIME));
 * }</pre>
 *
 * <p>Threading as {@link io.github.twinlane.spi.DeviceDriver}: reads block (until the next value is
 * due), so the channel gives it a reader thread. The topic's messages are read into memory at
 * {@link #open()} (a recording's topic, not a whole day of camera frames), by a {@link McapReader} with
 * {@link McapLimits#defaults()} or {@link #withLimits the limits given}: a hostile or corrupt file fails
 * {@code open} with the reader's {@link io.github.twinlane.record.mcap.McapException} as it is.
 *
 * @param <C> the command type it accepts (and drops)
 * @param <T> the data type it plays
 */
public final class ReplayDriver<C, T> extends AbstractDeviceDriver<C, T> {

    /** How fast a recording plays. */
    public enum Pace {
        /** As recorded: each value as long after the previous one as when it was received. */
        REAL_TIME,
        /** Every value at once, one per read. */
        AS_FAST_AS_POSSIBLE
    }

    private final Path file;
    private final String topic;
    private final RecordCodec<T> codec;
    private final Pace pace;
    private final boolean loop;
    private final McapLimits limits;
    private final AtomicLong commandsDropped = new AtomicLong();
    private volatile List<McapMessage> messages = List.of();
    private volatile boolean closed;
    private int next;
    private long startNanos;
    private long firstPublish;

    private ReplayDriver(Path file, String topic, RecordCodec<T> codec, MessageType<C> commandType, Pace pace,
                         boolean loop, McapLimits limits) {
        super("replay of " + topic + " from " + file.getFileName(), commandType, codec.type(), ReadMode.BLOCKING);
        this.file = file;
        this.topic = topic;
        this.codec = codec;
        this.pace = pace;
        this.loop = loop;
        this.limits = limits;
    }

    /**
     * A replay that plays {@code topic} once.
     *
     * @param file the recording
     * @param topic the topic, for example {@code /drive/data}
     * @param codec how its messages are decoded
     * @param commandType the commands the channel accepts (counted and dropped)
     * @param pace how fast
     * @param <C> command type
     * @param <T> data type
     * @return the driver
     */
    public static <C, T> ReplayDriver<C, T> of(Path file, String topic, RecordCodec<T> codec, MessageType<C> commandType,
                                               Pace pace) {
        return new ReplayDriver<>(Objects.requireNonNull(file, "file"), Objects.requireNonNull(topic, "topic"),
                Objects.requireNonNull(codec, "codec"), Objects.requireNonNull(commandType, "commandType"),
                Objects.requireNonNull(pace, "pace"), false, McapLimits.defaults());
    }

    /** @return the same replay starting over after its last value, forever */
    public ReplayDriver<C, T> looping() {
        return new ReplayDriver<>(file, topic, codec, commandType(), pace, true, limits);
    }

    /**
     * @param l what reading the recording may allocate and decode (a recording refused by the defaults, with a
     *     limit raised; or an untrusted one, with limits lowered)
     * @return the same replay reading with these limits
     */
    public ReplayDriver<C, T> withLimits(McapLimits l) {
        return new ReplayDriver<>(file, topic, codec, commandType(), pace, loop, Objects.requireNonNull(l, "limits"));
    }

    /**
     * Reads the topic's messages; a missing topic is an error that names the topics there are.
     *
     * @throws io.github.twinlane.record.mcap.McapException if the file is damaged, or refused by a limit (named)
     */
    @Override
    public void open() throws IOException {
        List<McapMessage> found = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        try (McapReader r = McapReader.open(file, limits)) {
            r.read(new McapVisitor() {
                @Override
                public void channel(McapChannel c) {
                    topics.add(c.topic());
                }

                @Override
                public void message(McapChannel c, McapMessage m) {
                    if (c.topic().equals(topic)) {
                        found.add(m);
                    }
                }
            });
        }
        if (!topics.contains(topic)) {
            throw new IOException("recording " + file + " has no topic " + topic + "; it has " + topics);
        }
        found.sort((a, b) -> Long.compareUnsigned(a.publishTime(), b.publishTime()));
        messages = found;
        closed = false;
        restart();
    }

    private void restart() {
        next = 0;
        startNanos = System.nanoTime();
        firstPublish = messages.isEmpty() ? 0 : messages.get(0).publishTime();
    }

    /**
     * The next recorded value, when it is due.
     *
     * @throws CorruptDataException if a message does not decode with the codec (counted by the channel)
     * @throws IOException once closed
     */
    @Override
    public boolean read(T into) throws IOException {
        if (closed) {
            throw new IOException("replay of " + topic + " is closed");
        }
        List<McapMessage> all = messages;
        if (next >= all.size()) {
            if (loop && !all.isEmpty()) {
                restart();
            } else {
                LockSupport.parkNanos(10_000_000L); // the recording is over: stay silent
                return false;
            }
        }
        McapMessage m = all.get(next);
        if (pace == Pace.REAL_TIME) {
            long due = startNanos + (m.publishTime() - firstPublish);
            long wait;
            while ((wait = due - System.nanoTime()) > 0 && !closed) {
                LockSupport.parkNanos(Math.min(wait, 10_000_000L));
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
        }
        next++;
        if (!codec.decode(m.data(), 0, m.data().length, into)) {
            throw new CorruptDataException("message " + m.sequence() + " of " + topic + " in " + file
                    + " does not decode as " + codec.schemaName());
        }
        return true;
    }

    /** Counts and drops the command: a recording cannot obey it. */
    @Override
    public void write(C command) {
        commandsDropped.incrementAndGet();
    }

    /** @return commands written to the replay (and dropped) */
    public long commandsDropped() {
        return commandsDropped.get();
    }

    /** @return the topic's recorded values (after {@link #open()}) */
    public int size() {
        return messages.size();
    }

    @Override
    public void close() {
        closed = true;
    }
}
