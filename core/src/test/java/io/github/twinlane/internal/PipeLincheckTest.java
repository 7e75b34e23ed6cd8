package io.github.twinlane.internal;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.LongBox;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Pipe} under model checking: Lincheck runs every interleaving it explores of producers' offers
 * with the one consumer's polls, and after each scenario the pipe is drained and checked:
 * <ul>
 *   <li>its counts add up: {@code offered = delivered + dropped}, nothing pending;</li>
 *   <li>it delivered only values that were accepted, each at most once, each producer's in the order it
 *       offered them;</li>
 *   <li>no accepted value was lost where the policy drops none (BLOCK and DROP_NEWEST never drop an
 *       accepted value; DROP_OLDEST none while fewer than its capacity are queued, as here).</li>
 * </ul>
 * Under every policy with two producers, and with one producer under the policies whose overflow slot a
 * producer and the consumer hand over (bounded to a few hundred interleavings each: model checking a
 * Disruptor ring costs tens of milliseconds per interleaving). The operations answer nothing: the pipe is not
 * linearizable, on purpose (a multi-producer Disruptor ring hands out values in claim order, so a
 * completed offer waits behind an earlier claim still being filled; a poll's batch is not atomic), and
 * what it promises is checked after each scenario instead.
 *
 * <p>Small rings (2 slots) where values may be dropped or parked in the overflow slot; 8 for BLOCK (so
 * that no offer waits: a wait reads the clock, which a model checker cannot replay) and for DROP_OLDEST
 * (so that nothing ages out and every accepted value must arrive).
 */
class PipeLincheckTest {
    static volatile BackpressurePolicy policy = BackpressurePolicy.LATEST;

    /** The harness: one pipe, the values offered and delivered. */
    abstract static class Harness {
        final List<Long> delivered = new ArrayList<>(); // the consumer's
        final Set<Long> acceptedValues = ConcurrentHashMap.newKeySet();
        final Map<Thread, List<Long>> acceptedBy = new ConcurrentHashMap<>();
        final AtomicLong next = new AtomicLong();
        final Pipe<LongBox> pipe;

        Harness(boolean multiProducer) {
            int capacity = policy == BackpressurePolicy.BLOCK || policy == BackpressurePolicy.DROP_OLDEST ? 8 : 2;
            pipe = new Pipe<>(LongBox.TYPE, policy, capacity, 1_000_000, WaitMode.BLOCKING, multiProducer).enablePolling();
            pipe.sink((v, t, g) -> delivered.add(v.value));
        }

        void offerNext() {
            long v = next.incrementAndGet();
            if (pipe.offer(new LongBox(v), 0) == SendResult.ACCEPTED) {
                acceptedValues.add(v);
                acceptedBy.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add(v);
            }
        }

        void check() {
            while (pipe.poll(4) > 0) {
                // drain
            }
            if (pipe.offered() != pipe.delivered() + pipe.dropped() || pipe.pending() != 0) {
                throw new IllegalStateException("counts: offered " + pipe.offered() + ", delivered " + pipe.delivered()
                        + ", dropped " + pipe.dropped() + ", pending " + pipe.pending());
            }
            Set<Long> seen = new HashSet<>();
            for (long v : delivered) {
                if (!acceptedValues.contains(v) || !seen.add(v)) {
                    throw new IllegalStateException("delivered " + v + " that was not accepted, or twice: " + delivered);
                }
            }
            for (List<Long> mine : acceptedBy.values()) {
                long last = 0;
                for (long v : delivered) {
                    if (mine.contains(v)) {
                        if (v < last) {
                            throw new IllegalStateException("a producer's values out of order: " + delivered);
                        }
                        last = v;
                    }
                }
            }
            boolean dropsNone = policy != BackpressurePolicy.LATEST;
            if (dropsNone && !seen.containsAll(acceptedValues)) {
                throw new IllegalStateException(policy + " lost accepted values: accepted " + acceptedValues
                        + ", delivered " + delivered);
            }
        }
    }

    /** Offers from any thread (a channel's senders), polls from one (its writer). */
    public static class ManyProducers extends Harness {
        public ManyProducers() {
            super(true);
        }

        @Operation
        public void offer() {
            offerNext();
        }

        @Operation(nonParallelGroup = "consumer")
        public void poll() {
            pipe.poll(4);
        }

        @Validate
        public void promisesHold() {
            check();
        }
    }

    /** One producer thread (a tap's lane thread, a reader), polls from one consumer. */
    public static class OneProducer extends Harness {
        public OneProducer() {
            super(false);
        }

        @Operation(nonParallelGroup = "producer")
        public void offer() {
            offerNext();
        }

        @Operation(nonParallelGroup = "consumer")
        public void poll() {
            pipe.poll(4);
        }

        @Validate
        public void promisesHold() {
            check();
        }
    }

    private static ModelCheckingOptions options(int threads) {
        return new ModelCheckingOptions()
                .iterations(6)
                .invocationsPerIteration(150)
                .threads(threads)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1);
    }

    @ParameterizedTest
    @EnumSource(BackpressurePolicy.class)
    void shouldKeepItsPromisesInEveryInterleavingWithTwoProducers(BackpressurePolicy p) {
        policy = p;
        options(3).check(ManyProducers.class); // two producers, the consumer's group on the third
    }

    @ParameterizedTest
    @EnumSource(value = BackpressurePolicy.class, names = {"LATEST", "DROP_OLDEST"}) // the overflow slot's hand-over
    void shouldKeepItsPromisesInEveryInterleavingWithOneProducer(BackpressurePolicy p) {
        policy = p;
        options(2).check(OneProducer.class);
    }
}
