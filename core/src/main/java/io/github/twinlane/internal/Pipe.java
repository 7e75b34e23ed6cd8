package io.github.twinlane.internal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.MessageType;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a channel: a Disruptor ring of preallocated slots plus the channel's
 * {@link BackpressurePolicy}, with exact accounting.
 *
 * <p>Accounting: every value the producer side is given is counted exactly once as
 * {@code rejected} (refused at once), or accepted and later exactly one of {@code delivered},
 * {@code skipped} (conflated or aged out by the consumer), {@code overwritten} (replaced in the
 * overflow slot before the consumer took it), {@code discarded} (still queued at close), or pending.
 *
 * <p>The overflow slot: under LATEST and DROP_OLDEST a producer that finds the ring full never
 * waits; it parks the value in one overflow slot (the newest wins). The consumer takes that slot
 * after each batch, after releasing its ring sequence, and a producer that parked a value retries
 * the ring once afterwards, so a parked value is never stranded (a final stop command must
 * arrive).
 *
 * <p>Order: under BLOCK and DROP_NEWEST every accepted value is a ring slot, so the ring's sequence
 * is its order and nothing else is counted per value. LATEST and DROP_OLDEST also give the overflow
 * slot an order, from a counter of their own (a plain increment when there is one producer, an
 * atomic one otherwise).
 *
 * <p>Cost per value: a producer pays the ring's claim and publish (a compare-and-set on the claim only
 * when built for many producers) and nothing else that is atomic; the consumer publishes its
 * delivered and skipped counts once per {@link #poll}, not per value.
 *
 * <p>Threading: {@link #offer} is safe from many threads when built for multiple producers;
 * {@link #claim}/{@link #commit} belong to one producer thread; the consumer methods to one
 * consumer thread. Nothing here allocates after construction.
 *
 * @param <E> the message type
 */
public final class Pipe<E> {

    /** A ring slot: the preallocated message plus its order and receive time. */
    public static final class Slot<E> {
        final E value;
        long order;
        long stampNanos;

        Slot(E value) {
            this.value = value;
        }
    }

    /** Where the consumer side hands values; implementations catch their own exceptions. */
    @FunctionalInterface
    public interface Sink<E> {
        /**
         * Takes one value.
         *
         * @param value valid only during the call
         * @param stampNanos when it entered the pipe
         */
        void deliver(E value, long stampNanos);
    }

    private final MessageType<E> type;
    private final BackpressurePolicy policy;
    private final int capacity;
    private final long blockTimeoutNanos;
    private final RingBuffer<Slot<E>> ring;
    private final boolean overflowCapable;
    private final boolean multiProducer;

    // Disruptor's Sequence is cache-line padded: producers' and the consumer's counters never share a line.
    // Under LATEST and DROP_OLDEST every accepted value takes exactly one order number, so "accepted" is
    // this counter; under BLOCK and DROP_NEWEST it stays 0 and the ring's cursor counts instead.
    private final Sequence order = new Sequence(0);
    private final Sequence rejected = new Sequence(0);
    private final Sequence overwritten = new Sequence(0);
    private final Sequence delivered = new Sequence(0);
    private final Sequence skipped = new Sequence(0);
    private final Sequence discarded = new Sequence(0);

    private final Slot<E> overflow;
    private boolean overflowFull; // guarded by overflow
    private final Slot<E> consumerScratch;
    private final Slot<E> producerScratch;
    private long claimed = -1; // single in-place producer only
    private long lastDeliveredOrder = -1; // consumer only
    private long deliveredCount; // consumer only; published to `delivered` once per poll
    private long skippedCount; // consumer only; published to `skipped` once per poll
    private Sink<E> sink;
    private EventPoller<Slot<E>> poller;
    private final PollHandler pollHandler = new PollHandler();

    /**
     * Creates a pipe.
     *
     * @param type the message type, for preallocation and copies
     * @param policy the backpressure policy
     * @param capacity logical capacity, a power of two
     * @param blockTimeoutNanos the longest wait under BLOCK
     * @param waitMode how a consumer waiting in {@link #consumerWait()} waits
     * @param multiProducer whether {@link #offer} is called from more than one thread
     */
    public Pipe(MessageType<E> type, BackpressurePolicy policy, int capacity, long blockTimeoutNanos,
                WaitMode waitMode, boolean multiProducer) {
        this.type = type;
        this.policy = policy;
        this.capacity = capacity;
        this.blockTimeoutNanos = blockTimeoutNanos;
        this.overflowCapable = policy == BackpressurePolicy.LATEST || policy == BackpressurePolicy.DROP_OLDEST;
        this.multiProducer = multiProducer;
        // DROP_OLDEST keeps slack: the consumer ages out all but the newest `capacity` values
        int size = policy == BackpressurePolicy.DROP_OLDEST ? capacity * 2 : capacity;
        WaitStrategy wait = waitStrategy(waitMode);
        this.ring = multiProducer
                ? RingBuffer.createMultiProducer(() -> new Slot<>(type.newInstance()), size, wait)
                : RingBuffer.createSingleProducer(() -> new Slot<>(type.newInstance()), size, wait);
        this.overflow = new Slot<>(type.newInstance());
        this.consumerScratch = new Slot<>(type.newInstance());
        this.producerScratch = new Slot<>(type.newInstance());
    }

    static WaitStrategy waitStrategy(WaitMode mode) {
        return switch (mode) {
            case BLOCKING -> new BlockingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }

    /**
     * Sets where the consumer hands values. Call once, before any consumer method.
     *
     * @param target the sink
     */
    public void sink(Sink<E> target) {
        this.sink = target;
    }

    // ------------------------------------------------------------------ producer side

    /**
     * Copies {@code src} in, applying the policy when full. Safe from many threads if built so.
     *
     * @param src the value; only read
     * @param stampNanos its timestamp
     * @return the outcome; counted
     */
    public SendResult offer(E src, long stampNanos) {
        long seq = tryClaim();
        if (seq >= 0) {
            Slot<E> slot = ring.get(seq);
            type.copy(src, slot.value);
            publish(seq, slot, stampNanos);
            return SendResult.ACCEPTED;
        }
        return whenFull(src, stampNanos);
    }

    /**
     * For one producer thread that reads straight into the ring: the storage for the next value,
     * a ring slot when there is room, or a scratch slot when the ring is full. The claim is kept
     * until {@link #commit} (a read that returned nothing keeps it for the next read).
     *
     * @return the storage to fill
     */
    public E claim() {
        if (claimed < 0) {
            claimed = tryClaim();
        }
        return claimed >= 0 ? ring.get(claimed).value : producerScratch.value;
    }

    /**
     * Publishes what was written into {@link #claim()}'s storage.
     *
     * @param stampNanos its timestamp
     * @return the outcome; counted
     */
    public SendResult commit(long stampNanos) {
        if (claimed >= 0) {
            long seq = claimed;
            claimed = -1;
            publish(seq, ring.get(seq), stampNanos);
            return SendResult.ACCEPTED;
        }
        return whenFull(producerScratch.value, stampNanos);
    }

    /**
     * Counts a value refused before it reached the pipe (channel not open, closed).
     */
    public void reject() {
        rejected.incrementAndGet();
    }

    private long tryClaim() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return -1;
        }
    }

    private void publish(long seq, Slot<E> slot, long stampNanos) {
        slot.order = overflowCapable ? nextOrder() : seq;
        slot.stampNanos = stampNanos;
        ring.publish(seq);
    }

    /** The next order number, for the policies whose overflow slot needs one beside the ring's. */
    private long nextOrder() {
        if (multiProducer) {
            return order.getAndAdd(1);
        }
        long o = order.get(); // one producer thread: no read-modify-write needed, only a release store
        order.set(o + 1);
        return o;
    }

    private SendResult whenFull(E src, long stampNanos) {
        switch (policy) {
            case DROP_NEWEST:
                rejected.incrementAndGet();
                return SendResult.DROPPED_FULL;
            case BLOCK:
                return waitForRoom(src, stampNanos);
            default:
                park(src, stampNanos);
                return SendResult.ACCEPTED;
        }
    }

    private SendResult waitForRoom(E src, long stampNanos) {
        long deadline = System.nanoTime() + blockTimeoutNanos;
        while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(1); // as the Disruptor's own next(): the OS's shortest sleep, no spinning
            long seq = tryClaim();
            if (seq >= 0) {
                Slot<E> slot = ring.get(seq);
                type.copy(src, slot.value);
                publish(seq, slot, stampNanos);
                return SendResult.ACCEPTED;
            }
        }
        rejected.incrementAndGet();
        return SendResult.TIMED_OUT;
    }

    private void park(E src, long stampNanos) {
        synchronized (overflow) {
            if (overflowFull) {
                overwritten.incrementAndGet();
            }
            type.copy(src, overflow.value);
            overflow.order = nextOrder();
            overflow.stampNanos = stampNanos;
            overflowFull = true;
            // the consumer may have freed room just before we parked and gone to sleep: retry once
            long seq = tryClaim();
            if (seq >= 0) {
                Slot<E> slot = ring.get(seq);
                type.copy(overflow.value, slot.value);
                slot.order = overflow.order;
                slot.stampNanos = overflow.stampNanos;
                overflowFull = false;
                ring.publish(seq);
            }
        }
    }

    // ------------------------------------------------------------------ consumer side

    private void consume(Slot<E> slot) {
        if (policy == BackpressurePolicy.DROP_OLDEST && slot.order < order.get() - capacity) {
            skippedCount++;
        } else if (overflowCapable && slot.order <= lastDeliveredOrder) {
            skippedCount++;
        } else if (policy == BackpressurePolicy.LATEST && overflowNewerThan(slot.order)) {
            skippedCount++;
        } else {
            deliver(slot);
        }
    }

    /**
     * Makes this pipe consumable through {@link #poll}. Call once, before anything is offered: the
     * poller's sequence is what stops the producer from overwriting values it has not taken.
     *
     * @return this
     */
    public Pipe<E> enablePolling() {
        if (poller == null) {
            poller = ring.newPoller();
            ring.addGatingSequences(poller.getSequence());
        }
        return this;
    }

    /**
     * How a consumer duty cycle waits for the next value: on this ring's wait strategy (the
     * channel's {@link WaitMode}). One per consumer thread; requires {@link #enablePolling()}.
     *
     * @return a new idle strategy for the consumer's runner
     */
    RingWaitIdle consumerWait() {
        if (poller == null) {
            throw new IllegalStateException("enablePolling() must be called first");
        }
        return new RingWaitIdle(ring, poller.getSequence());
    }

    /**
     * Polls up to {@code limit} deliveries without blocking: one duty cycle of the consumer (a fast
     * channel's dispatcher or writer, a slow-lane loop thread, a periodic loop driving a channel).
     * Under {@link BackpressurePolicy#LATEST} every value available is taken and only the newest
     * delivered. After the ring's values are released, the overflow slot is taken.
     *
     * @param limit the most values to deliver
     * @return values delivered or skipped; 0 when there was nothing
     */
    public int poll(int limit) {
        if (poller == null) {
            throw new IllegalStateException("enablePolling() must be called before the producer starts");
        }
        pollHandler.limit = limit;
        pollHandler.work = 0;
        try {
            poller.poll(pollHandler);
        } catch (Exception e) {
            throw new IllegalStateException("pipe sinks must not throw", e);
        }
        if (overflowCapable) {
            pollHandler.work += takeOverflow();
        }
        if (pollHandler.work > 0) {
            delivered.set(deliveredCount); // release stores, once per batch: readers see whole batches
            skipped.set(skippedCount);
        }
        return pollHandler.work;
    }

    private final class PollHandler implements EventPoller.Handler<Slot<E>> {
        int limit;
        int work;

        @Override
        public boolean onEvent(Slot<E> slot, long sequence, boolean endOfBatch) {
            if (policy == BackpressurePolicy.LATEST && !endOfBatch) {
                skippedCount++; // conflated: a newer value is right behind it
            } else {
                consume(slot);
            }
            work++;
            return policy == BackpressurePolicy.LATEST || work < limit;
        }
    }

    private boolean overflowNewerThan(long ringOrder) {
        synchronized (overflow) {
            return overflowFull && overflow.order > ringOrder;
        }
    }

    private int takeOverflow() {
        synchronized (overflow) {
            if (!overflowFull) {
                return 0;
            }
            type.copy(overflow.value, consumerScratch.value);
            consumerScratch.order = overflow.order;
            consumerScratch.stampNanos = overflow.stampNanos;
            overflowFull = false;
        }
        if (consumerScratch.order <= lastDeliveredOrder) {
            skippedCount++;
        } else {
            deliver(consumerScratch);
        }
        return 1;
    }

    private void deliver(Slot<E> slot) {
        lastDeliveredOrder = slot.order;
        sink.deliver(slot.value, slot.stampNanos);
        deliveredCount++;
    }

    /**
     * Counts everything still queued as discarded. Call once, after the consumer stopped.
     */
    public void discardPending() {
        long pending = pending();
        if (pending > 0) {
            discarded.addAndGet(pending);
        }
    }

    // ------------------------------------------------------------------ accounting

    /**
     * Values given to the producer side: accepted plus rejected.
     *
     * @return the count
     */
    public long offered() {
        return accepted() + rejected.get();
    }

    /** Values accepted: the order counter, or the ring's cursor where the ring alone orders them. */
    private long accepted() {
        return overflowCapable ? order.get() : ring.getCursor() + 1;
    }

    /**
     * Values handed to the sink.
     *
     * @return the count
     */
    public long delivered() {
        return delivered.get();
    }

    /**
     * Values dropped for any reason: rejected, skipped, overwritten, discarded at close.
     *
     * @return the count
     */
    public long dropped() {
        return rejected.get() + skipped.get() + overwritten.get() + discarded.get();
    }

    /**
     * Values accepted and not yet delivered or dropped.
     *
     * @return the count, exact when the pipe is quiet
     */
    public long pending() {
        return accepted() - delivered.get() - skipped.get() - overwritten.get() - discarded.get();
    }

    /**
     * The policy.
     *
     * @return the policy
     */
    public BackpressurePolicy policy() {
        return policy;
    }
}
