package io.github.twinlane.record;

import io.github.twinlane.DeviceChannel;
import io.github.twinlane.LoopTask;
import io.github.twinlane.MessageType;
import io.github.twinlane.SendResult;
import io.github.twinlane.cycle.DutyCycleRunner;
import io.github.twinlane.cycle.SleepingIdleStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a control loop so that it can be replayed deterministically ({@link LoopReplay}): each
 * cycle's number and time, what each of its {@linkplain #input inputs} returned, and what it
 * {@linkplain #output sent}. Write the controller against {@link LoopInput}, {@link LoopOutput} and
 * {@link LoopClock}; live they are the channels, recorded; in replay they are the recording.
 *
 * <pre>{@code
 * LoopRecorder io = LoopRecorder.start(recording, "control");
 * LoopInput<MotorTelemetry> telemetry = io.input(drive, MotorCodecs.telemetry());
 * LoopOutput<MotorCommand> command = io.output(drive, MotorCodecs.command());
 * PeriodicLoop loop = rt.every(LoopConfig.of("control", period), io.wrap(new Controller(telemetry, command, io)));
 * }</pre>
 *
 * <p>Cost to the loop: each input and output copies its value into a preallocated ring slot and
 * publishes it with one release store; nothing is allocated, nothing blocks, and no atomic
 * read-modify-write is paid (except to count a value dropped because its ring was full). A slow-lane service
 * ({@code twinlane-slow-loop-<name>-recorder}) encodes and writes the slots. When a ring is full the
 * value is dropped and counted, and the cycles after it cannot be replayed exactly (the recording's
 * stats and {@link LoopReplay} say so). Topics: {@code /loop/<name>/cycles}, {@code /loop/<name>/in/<channel>}
 * (an empty message: {@code latest} returned false), {@code /loop/<name>/out/<channel>}; each message's
 * sequence is the cycle number.
 *
 * <p>Threading: {@link #wrap}'s task, the inputs and outputs on the loop's thread only; the rest from any.
 */
public final class LoopRecorder implements LoopClock, AutoCloseable {
    private static final int CAPACITY = 8192;

    private final Recording recording;
    private final String name;
    private final Ring<long[]> cycles;
    private final List<Ring<?>> rings = new CopyOnWriteArrayList<>();
    private final DutyCycleRunner service;
    private long cycle = -1; // the loop's thread
    private long now; // the loop's thread
    private volatile boolean closed;

    private LoopRecorder(Recording recording, String name) {
        this.recording = recording;
        this.name = name;
        this.cycles = new Ring<>(recording.stream("/loop/" + name + "/cycles", name, "cycles", CycleCodec.INSTANCE),
                CycleCodec.INSTANCE.type());
        rings.add(cycles);
        this.service = recording.runtime().concurrentScheduler().run("loop-" + name, "recorder", this::drain,
                new SleepingIdleStrategy(Duration.ofMillis(5)));
        recording.feeder(this);
    }

    /**
     * Starts recording a loop into {@code recording}.
     *
     * @param recording the recording the loop's topics go into
     * @param loopName the loop's name, in its topics
     * @return the recorder
     */
    public static LoopRecorder start(Recording recording, String loopName) {
        Objects.requireNonNull(recording, "recording");
        if (loopName == null || !loopName.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("loopName must be 1 to 32 letters, digits, '-' or '_', was " + loopName);
        }
        return new LoopRecorder(recording, loopName);
    }

    /**
     * The loop's task, with each cycle's number and time recorded before it runs.
     *
     * @param task the controller's cycle
     * @return the task to give {@code TwinlaneRuntime.every}
     */
    public LoopTask wrap(LoopTask task) {
        Objects.requireNonNull(task, "task");
        return k -> {
            cycle = k;
            now = System.nanoTime();
            long[] slot = cycles.claim();
            if (slot != null) {
                slot[0] = k;
                slot[1] = now;
                cycles.publish(k, now, true);
            }
            task.run(k);
        };
    }

    @Override
    public long nowNanos() {
        return now;
    }

    /**
     * An input: the channel's {@code latest}, recorded each time the cycle reads it.
     *
     * @param channel the channel
     * @param codec how its data is stored
     * @param <T> the data type
     * @return the input, for the loop's thread
     */
    public <T> LoopInput<T> input(DeviceChannel<?, T> channel, RecordCodec<T> codec) {
        Ring<T> ring = ring("/loop/" + name + "/in/" + channel.name(), channel.name(), "in", codec);
        return into -> {
            boolean ok = channel.latest(into);
            T slot = ring.claim();
            if (slot != null) {
                if (ok) {
                    ring.type.copy(into, slot);
                }
                ring.publish(cycle, now, ok);
            }
            return ok;
        };
    }

    /**
     * An output: the channel's {@code send}, recorded each time the cycle sends.
     *
     * @param channel the channel
     * @param codec how its commands are stored
     * @param <C> the command type
     * @return the output, for the loop's thread
     */
    public <C> LoopOutput<C> output(DeviceChannel<C, ?> channel, RecordCodec<C> codec) {
        Ring<C> ring = ring("/loop/" + name + "/out/" + channel.name(), channel.name(), "out", codec);
        return command -> {
            SendResult r = channel.send(command);
            C slot = ring.claim();
            if (slot != null) {
                ring.type.copy(command, slot);
                ring.publish(cycle, now, true);
            }
            return r;
        };
    }

    private <E> Ring<E> ring(String topic, String channel, String direction, RecordCodec<E> codec) {
        Ring<E> r = new Ring<>(recording.stream(topic, channel, direction, codec), codec.type());
        rings.add(r);
        return r;
    }

    /** @return values dropped because a ring was full (the cycles after the first drop replay inexactly) */
    public long dropped() {
        long n = 0;
        for (Ring<?> r : rings) {
            n += r.dropped.get();
        }
        return n;
    }

    /** The service: writes every published slot. */
    private int drain() {
        int n = 0;
        for (Ring<?> r : rings) {
            n += r.drain();
        }
        return n;
    }

    /** Stops the service and writes what the rings still hold. Idempotent; the recording calls it at close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        service.stop();
        service.join(System.nanoTime() + 2_000_000_000L);
        drain();
    }

    /**
     * One input's or output's slots: a single-producer single-consumer ring of preallocated values.
     * The loop's thread claims and publishes; the service drains.
     */
    private static final class Ring<E> {
        final Recording.Stream<E> stream;
        final MessageType<E> type;
        final Object[] values = new Object[CAPACITY];
        final long[] cycles = new long[CAPACITY];
        final long[] stamps = new long[CAPACITY];
        final boolean[] present = new boolean[CAPACITY];
        final AtomicLong head = new AtomicLong(); // next to drain; the service
        final AtomicLong tail = new AtomicLong(); // next to fill; the loop's thread
        final AtomicLong dropped = new AtomicLong();

        Ring(Recording.Stream<E> stream, MessageType<E> type) {
            this.stream = stream;
            this.type = type;
            for (int i = 0; i < CAPACITY; i++) {
                values[i] = type.newInstance();
            }
        }

        /** The loop's thread: the next slot's value to fill, or null (counted) when the ring is full. */
        @SuppressWarnings("unchecked")
        E claim() {
            long t = tail.get();
            if (t - head.get() >= CAPACITY) {
                dropped.incrementAndGet();
                stream.offered.incrementAndGet();
                stream.dropped.incrementAndGet();
                return null;
            }
            return (E) values[(int) (t & (CAPACITY - 1))];
        }

        /** The loop's thread: publishes the claimed slot. */
        void publish(long cycle, long stamp, boolean isPresent) {
            long t = tail.get();
            int i = (int) (t & (CAPACITY - 1));
            cycles[i] = cycle;
            stamps[i] = stamp;
            present[i] = isPresent;
            tail.lazySet(t + 1); // the one release store per value: the loop pays no atomic read-modify-write
        }

        /** The service (or close): writes the published slots. */
        @SuppressWarnings("unchecked")
        int drain() {
            long h = head.get();
            long t = tail.get();
            for (long s = h; s < t; s++) {
                int i = (int) (s & (CAPACITY - 1));
                stream.onValue((E) values[i], present[i], stamps[i], cycles[i]);
            }
            head.lazySet(t);
            stream.offered.addAndGet(t - h); // counted by the service as it takes them, not by the loop
            return (int) (t - h);
        }
    }
}
