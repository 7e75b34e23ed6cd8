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
import java.util.concurrent.locks.ReentrantLock;

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
 * <p>Order: a ring slot's order is its ring sequence, which is the order its producer claimed it in,
 * however many producers there are (an order counter taken after the claim would let a slot claimed
 * later carry an earlier number, and the consumer would skip it as stale). The overflow slot, under
 * LATEST and DROP_OLDEST, is ordered just after every slot claimed when it was parked: orders are
 * {@code 2 * sequence} for ring slots and {@code 2 * cursorAtPark + 1} for the overflow slot, so one
 * comparison orders both.
 *
 * <p>A value whose copy throws ({@link MessageType#copy} refusing it: a null, a frame over the
 * codec's limit) never leaves a claimed slot unpublished, which would stop the ring for good: the slot
 * is published marked void, the consumer skips it and counts it as skipped, and the exception goes to
 * the producer. A copy into the overflow slot is staged first, so a refused value leaves the parked one
 * as it was.
 *
 * <p>Tags: each value carries a {@code long} tag from its producer to the sink (a channel's command
 * ring carries the safety epoch the command was sent in, so the writer can discard commands a safe
 * command superseded).
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

    /** A ring slot: the preallocated message plus its order, receive time, tag and validity. */
    public static final class Slot<E> {
        final E value;
        long order;
        long stampNanos;
        long tag;
        boolean valid;

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
         * @param tag what its producer tagged it with
         */
        void deliver(E value, long stampNanos, long tag);
    }

    private static final long MAX_BLOCK_PAUSE_NANOS = 100_000;
    private final MessageType<E> type;
    private final BackpressurePolicy policy;
    private final int capacity;
    private final long blockTimeoutNanos;
    private final RingBuffer<Slot<E>> ring;
    private final boolean overflowCapable;
    private final boolean multiProducer;

    // Disruptor's Sequence is cache-line padded: producers' and the consumer's counters never share a line.
    // Accepted values are the ring's claimed sequences plus the values parked in the overflow slot that did
    // not move into the ring afterwards (parkedNet, written under the overflow lock).
    private final Sequence parkedNet = new Sequence(0);
    private final Sequence invalid = new Sequence(0);
    private final Sequence rejected = new Sequence(0);
    private final Sequence overwritten = new Sequence(0);
    private final Sequence delivered = new Sequence(0);
    private final Sequence skipped = new Sequence(0);
    private final Sequence discarded = new Sequence(0);

    private final ReentrantLock overflowLock = new ReentrantLock();
    private Slot<E> overflow; // guarded by overflowLock; swapped with parkStage so a refused copy changes nothing
    private Slot<E> parkStage; // guarded by overflowLock
    private boolean overflowFull; // guarded by overflowLock
    private long parks; // guarded by overflowLock
    private final boolean neverWait;
    private final Slot<E> consumerScratch; // null unless the policy parks values in the overflow slot
    private Slot<E> producerScratch; // null until enableClaims: only a producer that reads into the ring needs it
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
        this(type, policy, capacity, blockTimeoutNanos, waitMode, multiProducer, false);
    }

    /**
     * Creates a pipe whose producer may be told never to wait on its consumer.
     *
     * @param type the message type, for preallocation and copies
     * @param policy the backpressure policy
     * @param capacity logical capacity, a power of two
     * @param blockTimeoutNanos the longest wait under BLOCK
     * @param waitMode how a consumer waiting in {@link #consumerWait()} waits
     * @param multiProducer whether {@link #offer} is called from more than one thread
     * @param neverWait whether a producer that finds the overflow slot held by the consumer (copying it
     *     out) drops its value, counted as rejected, instead of waiting for the consumer's thread: for a
     *     tap, whose producer is a lane thread holding a device's write gate and whose consumer is a
     *     slow-lane thread that may be descheduled while it copies (priority inversion)
     */
    public Pipe(MessageType<E> type, BackpressurePolicy policy, int capacity, long blockTimeoutNanos,
                WaitMode waitMode, boolean multiProducer, boolean neverWait) {
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
        this.neverWait = neverWait;
        // the overflow slot, its staging copy and the consumer's copy of it exist only where a full ring parks values
        this.overflow = overflowCapable ? new Slot<>(type.newInstance()) : null;
        this.parkStage = overflowCapable ? new Slot<>(type.newInstance()) : null;
        this.consumerScratch = overflowCapable ? new Slot<>(type.newInstance()) : null;
    }

    /**
     * How many messages a pipe preallocates, for memory budgets: its ring (twice the capacity under
     * DROP_OLDEST, which keeps slack); under LATEST and DROP_OLDEST three spares (the overflow slot, its
     * staging copy, the consumer's copy of it); and one more with {@link #enableClaims()}.
     *
     * @param policy the backpressure policy
     * @param capacity the logical capacity
     * @param claims whether {@link #enableClaims()} will be called
     * @return the number of {@link MessageType#newInstance()} calls the pipe makes
     */
    public static int messages(BackpressurePolicy policy, int capacity, boolean claims) {
        boolean overflow = policy == BackpressurePolicy.LATEST || policy == BackpressurePolicy.DROP_OLDEST;
        return (policy == BackpressurePolicy.DROP_OLDEST ? capacity * 2 : capacity) + (overflow ? 3 : 0)
                + (claims ? 1 : 0);
    }

    /**
     * Lets one producer thread read straight into the ring ({@link #claim()}, {@link #commit}): allocates
     * the scratch slot it fills when the ring is full. Call once, while setting up.
     *
     * @return this pipe
     */
    public Pipe<E> enableClaims() {
        if (producerScratch == null) {
            producerScratch = new Slot<>(type.newInstance());
        }
        return this;
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
     * @throws RuntimeException what the message type's copy threw for this value: the value is counted
     *     (as skipped, in {@link #invalid()}) and the ring is left usable
     */
    public SendResult offer(E src, long stampNanos) {
        return offer(src, stampNanos, 0);
    }

    /**
     * Copies {@code src} in with a tag for the sink, applying the policy when full. Safe from many
     * threads if built so.
     *
     * @param src the value; only read
     * @param stampNanos its timestamp
     * @param tag handed to the sink with it
     * @return the outcome; counted
     * @throws RuntimeException what the message type's copy threw for this value: the value is counted
     *     (as skipped, in {@link #invalid()}) and the ring is left usable
     */
    public SendResult offer(E src, long stampNanos, long tag) {
        long seq = tryClaim();
        if (seq >= 0) {
            copyAndPublish(src, seq, stampNanos, tag);
            return SendResult.ACCEPTED;
        }
        return whenFull(src, stampNanos, tag);
    }

    /** Fills a claimed slot and publishes it; a refused copy publishes it void (never a gap in the ring). */
    private void copyAndPublish(E src, long seq, long stampNanos, long tag) {
        Slot<E> slot = ring.get(seq);
        try {
            type.copy(src, slot.value);
        } catch (RuntimeException | Error e) {
            slot.valid = false;
            slot.order = seq << 1;
            invalid.incrementAndGet();
            ring.publish(seq);
            throw e;
        }
        slot.valid = true;
        publish(seq, slot, stampNanos, tag);
    }

    /**
     * For one producer thread that reads straight into the ring: the storage for the next value,
     * a ring slot when there is room, or a scratch slot when the ring is full. The claim is kept
     * until {@link #commit} (a read that returned nothing keeps it for the next read).
     *
     * @return the storage to fill
     */
    public E claim() {
        if (producerScratch == null) {
            throw new IllegalStateException("claim() needs enableClaims() at set-up");
        }
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
            Slot<E> slot = ring.get(seq);
            slot.valid = true;
            publish(seq, slot, stampNanos, 0);
            return SendResult.ACCEPTED;
        }
        return whenFull(producerScratch.value, stampNanos, 0);
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

    private void publish(long seq, Slot<E> slot, long stampNanos, long tag) {
        slot.order = seq << 1; // the claim's order, whatever the number of producers
        slot.stampNanos = stampNanos;
        slot.tag = tag;
        ring.publish(seq);
    }

    private SendResult whenFull(E src, long stampNanos, long tag) {
        switch (policy) {
            case DROP_NEWEST:
                rejected.incrementAndGet();
                return SendResult.DROPPED_FULL;
            case BLOCK:
                return waitForRoom(src, stampNanos, tag);
            default:
                return park(src, stampNanos, tag);
        }
    }

    private SendResult waitForRoom(E src, long stampNanos, long tag) {
        long deadline = System.nanoTime() + blockTimeoutNanos;
        long pause = 1_000; // backs off to 100 µs: a sender waiting for room costs a few wake-ups, not a core
        while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_BLOCK_PAUSE_NANOS);
            long seq = tryClaim();
            if (seq >= 0) {
                copyAndPublish(src, seq, stampNanos, tag);
                return SendResult.ACCEPTED;
            }
        }
        rejected.incrementAndGet();
        return SendResult.TIMED_OUT;
    }

    private SendResult park(E src, long stampNanos, long tag) {
        if (neverWait) {
            // a tap's producer never waits for the consumer's thread, which holds the lock only to copy out
            if (!overflowLock.tryLock()) {
                rejected.incrementAndGet();
                return SendResult.DROPPED_FULL;
            }
        } else {
            overflowLock.lock();
        }
        try {
            return parkLocked(src, stampNanos, tag);
        } finally {
            overflowLock.unlock();
        }
    }

    private SendResult parkLocked(E src, long stampNanos, long tag) {
        Slot<E> stage = parkStage;
        try {
            type.copy(src, stage.value); // staged: a refused value leaves the parked one as it was
        } catch (RuntimeException | Error e) {
            invalid.incrementAndGet();
            rejected.incrementAndGet();
            throw e;
        }
        if (overflowFull) {
            overwritten.incrementAndGet();
        }
        parkStage = overflow;
        overflow = stage;
        stage.order = (ring.getCursor() << 1) + 1; // after every slot claimed so far
        stage.stampNanos = stampNanos;
        stage.tag = tag;
        stage.valid = true;
        overflowFull = true;
        long net = ++parks;
        // the consumer may have freed room just before we parked and gone to sleep: retry once
        long seq = tryClaim();
        if (seq >= 0) {
            Slot<E> slot = ring.get(seq);
            overflowFull = false;
            net = --parks; // it is a ring value now, counted by the ring's cursor
            try {
                type.copy(stage.value, slot.value); // a copy of a value copied once already; if it fails anyway
            } catch (RuntimeException | Error e) { // (a direct buffer that cannot grow), the slot is published void
                slot.valid = false;
                slot.order = seq << 1;
                invalid.incrementAndGet();
                ring.publish(seq);
                parkedNet.set(net);
                throw e;
            }
            slot.valid = true;
            publish(seq, slot, stage.stampNanos, stage.tag);
        }
        parkedNet.set(net);
        return SendResult.ACCEPTED;
    }

    // ------------------------------------------------------------------ consumer side

    private void consume(Slot<E> slot, long sequence) {
        if (!slot.valid) {
            skippedCount++; // its copy was refused; the producer was told
        } else if (policy == BackpressurePolicy.DROP_OLDEST && sequence <= ring.getCursor() - capacity) {
            skippedCount++; // aged out: at least `capacity` newer values were accepted after it
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
        pollHandler.drained = true;
        try {
            if (poller.poll(pollHandler) == EventPoller.PollState.GATING) {
                pollHandler.drained = false; // a producer claimed a slot and has not published it yet
            }
        } catch (Exception e) {
            throw new IllegalStateException("pipe sinks must not throw", e);
        }
        // the overflow slot is newer than every ring value claimed before it was parked: take it only once
        // those are all taken, so none of them is skipped for being older than it
        if (overflowCapable && pollHandler.drained) {
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
        boolean drained;
        // LATEST: the newest valid slot of the batch so far (the batch's slots stay ours until it ends), so a
        // void slot at the end never conflates away the valid value before it
        private Slot<E> newest;
        private long newestSequence;

        @Override
        public boolean onEvent(Slot<E> slot, long sequence, boolean endOfBatch) {
            if (policy == BackpressurePolicy.LATEST) {
                if (!slot.valid) {
                    skippedCount++; // refused when offered
                } else {
                    if (newest != null) {
                        skippedCount++; // conflated: a newer value is behind it
                    }
                    newest = slot;
                    newestSequence = sequence;
                }
                if (endOfBatch && newest != null) {
                    consume(newest, newestSequence);
                    newest = null;
                }
            } else {
                consume(slot, sequence);
            }
            work++;
            drained = endOfBatch;
            return policy == BackpressurePolicy.LATEST || work < limit;
        }
    }

    private boolean overflowNewerThan(long ringOrder) {
        overflowLock.lock();
        try {
            return overflowFull && overflow.order > ringOrder;
        } finally {
            overflowLock.unlock();
        }
    }

    private int takeOverflow() {
        overflowLock.lock();
        try {
            if (!overflowFull) {
                return 0;
            }
            Slot<E> parked = overflow;
            overflowFull = false;
            try {
                type.copy(parked.value, consumerScratch.value);
            } catch (RuntimeException | Error e) {
                skippedCount++; // lost, and counted: the next poll goes on
                invalid.incrementAndGet();
                return 1;
            }
            consumerScratch.order = parked.order;
            consumerScratch.stampNanos = parked.stampNanos;
            consumerScratch.tag = parked.tag;
        } finally {
            overflowLock.unlock();
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
        sink.deliver(slot.value, slot.stampNanos, slot.tag);
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

    /** Values accepted: the ring's claimed slots (void ones included) and the parked values that stayed parked. */
    private long accepted() {
        return ring.getCursor() + 1 + parkedNet.get();
    }

    /**
     * Values whose copy the message type refused (counted as dropped too: skipped or rejected).
     *
     * @return the count
     */
    public long invalid() {
        return invalid.get();
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
