package io.github.twinlane.internal;

import io.github.twinlane.DataHandler;
import io.github.twinlane.Lane;
import io.github.twinlane.MessageType;
import io.github.twinlane.Tap;
import io.github.twinlane.TapConfig;
import io.github.twinlane.TapStats;
import io.github.twinlane.WaitMode;
import io.github.twinlane.cycle.BackoffIdleStrategy;
import io.github.twinlane.cycle.DutyCycle;
import io.github.twinlane.cycle.DutyCycleRunner;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tap: a polled {@link Pipe} the lane offers into (one producer thread, never blocking), and a
 * duty cycle on a slow-lane thread that hands its values to the consumer.
 *
 * @param <E> the observed type
 */
public final class ChannelTap<E> implements Tap, DutyCycle {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelTap.class);
    private static final int BATCH = 64;

    private final String channel;
    private final TapConfig config;
    private final Pipe<E> pipe;
    private final int slots;
    private final MemoryBudget.Reservation memory;
    private final AtomicLong consumerErrors = new AtomicLong();
    private final io.github.twinlane.spi.LogLimiter errorLog = new io.github.twinlane.spi.LogLimiter(); // the tap's thread
    private final AtomicLong skippedAtClose = new AtomicLong(); // taken off the ring after close, never handed over
    private final Runnable onClose;
    private volatile boolean closed;
    private DutyCycleRunner runner;

    ChannelTap(String channel, TapConfig config, MessageType<E> type, DataHandler<E> consumer, Runnable onClose,
               MemoryBudget budget) {
        this.channel = channel;
        this.config = config;
        this.onClose = onClose;
        E probe = type.newInstance();
        long each = type.heapBytes(probe) + type.directBytes(probe);
        this.slots = slots(channel, config, each);
        int messages = Pipe.messages(config.policy(), slots, false);
        this.memory = budget.reserve("Tap '" + config.name() + "' of '" + channel + "'", messages + " messages of "
                        + MemoryBudget.bytes(each) + " (a ring of " + slots + " slots and its spares)",
                messages * type.heapBytes(probe), messages * type.directBytes(probe),
                "lower its TapConfig maxBytes or capacity");
        try {
            // the producer is the one lane thread that reads (data) or writes (commands): single producer. Nobody
            // waits on the ring (the tap's thread polls), so its wait strategy is one whose publish signals
            // nothing: a BLOCKING ring would cost the lane a lock and a notifyAll per value
            this.pipe = new Pipe<>(type, config.policy(), slots, 0, WaitMode.SLEEPING, false, true).enablePolling();
        } catch (RuntimeException | Error e) {
            memory.close();
            throw e;
        }
        this.pipe.sink((value, stamp, tag) -> {
            if (closed) {
                skippedAtClose.incrementAndGet(); // the rest of a batch after close: lost, and counted so
                return;
            }
            try {
                consumer.onData(value, stamp);
            } catch (Throwable t) {
                if (closed) {
                    return; // the interrupt that stops a blocked consumer at close
                }
                long n = consumerErrors.incrementAndGet();
                long since = errorLog.due();
                if (since > 0) {
                    LOG.error("Tap '{}' of channel '{}': its consumer threw (error #{}, {} since the last such line); "
                            + "the tap keeps going", config.name(), channel, n, since, t);
                }
            }
        });
    }

    /**
     * The ring's slots: the largest power of two up to the configured capacity whose messages fit in its
     * maxBytes; at least 2.
     *
     * @throws IllegalArgumentException if 2 slots do not fit
     */
    static int slots(String channel, TapConfig config, long bytesPerMessage) {
        long each = Math.max(1, bytesPerMessage);
        for (int s = config.capacity(); s >= 2; s >>= 1) {
            if (Pipe.messages(config.policy(), s, false) * each <= config.maxBytes()) {
                return s;
            }
        }
        throw new IllegalArgumentException("Tap '" + config.name() + "' of '" + channel + "' needs at least "
                + MemoryBudget.bytes(Pipe.messages(config.policy(), 2, false) * each) + " (2 slots and the ring's spares, "
                + MemoryBudget.bytes(each) + " each), more than its maxBytes of " + MemoryBudget.bytes(config.maxBytes())
                + ": raise it with TapConfig.withMaxBytes");
    }

    /**
     * A tap fed by something other than a channel (a camera's packets): made and started here.
     *
     * @param threads the runtime's threads
     * @param budget the runtime's memory budget, where the ring is reserved
     * @param owner what is observed, in the thread's name
     * @param config the tap
     * @param type the observed type, for the ring's slots
     * @param consumer the consumer, on the tap's thread
     * @param onClose run once when the tap closes (remove the producer's hook)
     * @param <E> the observed type
     * @return the running tap; its {@link #offer} takes one producer thread
     */
    public static <E> ChannelTap<E> start(LaneThreads threads, MemoryBudget budget, String owner, TapConfig config,
                                          MessageType<E> type, DataHandler<E> consumer, Runnable onClose) {
        ChannelTap<E> tap = new ChannelTap<>(owner, config, type, consumer, onClose, budget);
        tap.start(threads);
        return tap;
    }

    void start(LaneThreads threads) {
        // parks from 50 µs (or less) to maxWait while the ring is empty: the lane never pays to wake it
        Duration max = config.maxWait();
        Duration min = max.compareTo(Duration.ofNanos(50_000)) < 0 ? max : Duration.ofNanos(50_000);
        runner = threads.run(Lane.SLOW, channel, "tap-" + config.name(), this, BackoffIdleStrategy.of(0, 0, min, max));
    }

    /**
     * Copies one value in. The lane's one producer thread; never blocks, allocates nothing.
     *
     * @param value the value; read, not kept
     * @param stampNanos its timestamp
     */
    public void offer(E value, long stampNanos) {
        if (!closed) {
            pipe.offer(value, stampNanos);
        }
    }

    @Override
    public int doWork() {
        return pipe.poll(BATCH);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** @return heap bytes its ring takes, 0 once closed */
    long reservedHeapBytes() {
        return memory.heapBytes();
    }

    /** @return direct bytes its ring takes, 0 once closed */
    long reservedDirectBytes() {
        return memory.directBytes();
    }

    @Override
    public TapStats stats() {
        long skipped = skippedAtClose.get();
        return new TapStats(config.name(), pipe.offered(), pipe.delivered() - skipped, pipe.dropped() + skipped,
                pipe.pending(), consumerErrors.get(), slots, memory.heapBytes() + memory.directBytes());
    }

    @Override
    public void close() {
        stop(System.nanoTime() + 2_000_000_000L);
    }

    /**
     * Stops by a deadline: no more offers, the thread ends, what is still queued is counted as dropped.
     *
     * @param deadlineNanos the deadline
     * @return the tap's thread if still alive then
     */
    public java.util.List<Thread> stop(long deadlineNanos) {
        synchronized (this) {
            if (closed) {
                return java.util.List.of();
            }
            closed = true;
        }
        onClose.run();
        memory.close(); // the ring is garbage once the thread ends
        DutyCycleRunner r = runner;
        if (r == null) {
            return java.util.List.of();
        }
        r.stop();
        r.interrupt(); // a consumer blocked in a sleep or I/O must not outlive close
        boolean ended = r.join(deadlineNanos);
        if (ended) {
            pipe.discardPending();
        }
        return ended ? java.util.List.of() : java.util.List.of(r.thread());
    }

    @Override
    public String toString() {
        return stats().toString();
    }
}
