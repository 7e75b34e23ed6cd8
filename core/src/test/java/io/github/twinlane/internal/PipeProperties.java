package io.github.twinlane.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.LongBox;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of one pipe: over arbitrary single-threaded schedules of sends and polls (nothing is
 * lost unaccounted, order holds, LATEST ends on the newest value), and with concurrent producers
 * racing each other and a concurrent consumer for the ring and the overflow slot.
 */
class PipeProperties {

    /** A step: a positive number sends that many values, a negative one polls up to -n. */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.integers().between(-20, 20).filter(i -> i != 0).list().ofMaxSize(60);
    }

    private static final class Run {
        final Pipe<LongBox> pipe;
        final List<Long> delivered = new ArrayList<>();
        final List<SendResult> results = new ArrayList<>();
        long next;

        Run(BackpressurePolicy policy, int capacity) {
            this(policy, capacity, true);
        }

        Run(BackpressurePolicy policy, int capacity, boolean multiProducer) {
            pipe = new Pipe<>(LongBox.TYPE, policy, capacity, 20_000, WaitMode.BLOCKING, multiProducer).enablePolling();
            pipe.sink((v, t, g) -> delivered.add(v.value));
        }

        void play(List<Integer> steps) {
            LongBox box = new LongBox();
            for (int s : steps) {
                if (s > 0) {
                    for (int i = 0; i < s; i++) {
                        box.value = next++;
                        results.add(pipe.offer(box, 0));
                    }
                } else {
                    pipe.poll(-s);
                }
            }
        }

        void drain() {
            while (pipe.poll(64) > 0) {
                // keep polling until the pipe is empty
            }
        }
    }

    @Property
    void sentEqualsDeliveredPlusDroppedPlusPendingAtEveryStep(@ForAll("steps") List<Integer> steps,
            @ForAll BackpressurePolicy policy, @ForAll @IntRange(min = 1, max = 4) int capacityLog2,
            @ForAll boolean multiProducer) {
        // one producer orders values without a read-modify-write, many with one; under BLOCK and DROP_NEWEST
        // the ring's cursor counts what was accepted: the accounting must be exact either way
        Run run = new Run(policy, 1 << capacityLog2, multiProducer);
        for (int s : steps) {
            run.play(List.of(s));
            assertEquals(run.next, run.pipe.offered(), "every send is counted once");
            assertEquals(run.pipe.offered(), run.pipe.delivered() + run.pipe.dropped() + run.pipe.pending(),
                    "sent = delivered + dropped + pending");
            assertEquals(run.delivered.size(), run.pipe.delivered());
        }
        run.drain();
        assertEquals(0, run.pipe.pending(), "a drained pipe holds nothing");
        assertEquals(run.pipe.offered(), run.pipe.delivered() + run.pipe.dropped());
    }

    @Property
    void deliveredValuesKeepTheirSendingOrder(@ForAll("steps") List<Integer> steps,
            @ForAll BackpressurePolicy policy, @ForAll @IntRange(min = 1, max = 4) int capacityLog2,
            @ForAll boolean multiProducer) {
        Run run = new Run(policy, 1 << capacityLog2, multiProducer);
        run.play(steps);
        run.drain();
        for (int i = 1; i < run.delivered.size(); i++) {
            assertTrue(run.delivered.get(i) > run.delivered.get(i - 1),
                    "delivered out of order: " + run.delivered);
        }
    }

    @Property
    void latestAlwaysEndsOnTheNewestValue(@ForAll("steps") List<Integer> steps,
            @ForAll @IntRange(min = 1, max = 4) int capacityLog2) {
        Run run = new Run(BackpressurePolicy.LATEST, 1 << capacityLog2);
        run.play(steps);
        run.drain();
        if (run.next > 0) {
            assertEquals(run.next - 1, run.delivered.get(run.delivered.size() - 1).longValue(),
                    "LATEST must deliver the newest value last");
        }
        assertTrue(run.results.stream().allMatch(SendResult::accepted), "LATEST never refuses a value");
    }

    @Property
    void dropNewestKeepsEveryValueItAccepted(@ForAll("steps") List<Integer> steps,
            @ForAll @IntRange(min = 1, max = 4) int capacityLog2) {
        Run run = new Run(BackpressurePolicy.DROP_NEWEST, 1 << capacityLog2);
        run.play(steps);
        run.drain();
        List<Long> accepted = new ArrayList<>();
        for (int i = 0; i < run.results.size(); i++) {
            if (run.results.get(i).accepted()) {
                accepted.add((long) i);
            }
        }
        assertEquals(accepted, run.delivered, "DROP_NEWEST delivers exactly the values it accepted");
    }

    @Property
    void dropOldestNeverDropsTheNewestValue(@ForAll("steps") List<Integer> steps,
            @ForAll @IntRange(min = 1, max = 4) int capacityLog2) {
        Run run = new Run(BackpressurePolicy.DROP_OLDEST, 1 << capacityLog2);
        run.play(steps);
        run.drain();
        if (run.next > 0) {
            assertEquals(run.next - 1, run.delivered.get(run.delivered.size() - 1).longValue());
        }
    }

    @Property(tries = 200)
    void blockWithNoConsumerTimesOutAndCountsTheRefusal(@ForAll @IntRange(min = 1, max = 3) int capacityLog2,
            @ForAll @IntRange(min = 1, max = 5) int extra) {
        int capacity = 1 << capacityLog2;
        Run run = new Run(BackpressurePolicy.BLOCK, capacity);
        run.play(List.of(capacity + extra));
        assertEquals(capacity, run.results.stream().filter(SendResult::accepted).count());
        assertEquals(extra, run.results.stream().filter(r -> r == SendResult.TIMED_OUT).count());
        assertEquals(extra, run.pipe.dropped());
    }

    @Property(tries = 60)
    void concurrentProducersAndAConsumerAccountForEveryValueAndKeepEachProducersOrder(
            @ForAll BackpressurePolicy policy, @ForAll @IntRange(min = 1, max = 4) int capacityLog2,
            @ForAll @IntRange(min = 2, max = 3) int producers, @ForAll @IntRange(min = 1, max = 3000) int each)
            throws InterruptedException {
        Pipe<LongBox> pipe = new Pipe<>(LongBox.TYPE, policy, 1 << capacityLog2, 1_000_000, WaitMode.BLOCKING, true)
                .enablePolling();
        List<Long> delivered = new ArrayList<>();
        pipe.sink((v, t, g) -> delivered.add(v.value));
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(producers);
        java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            threads.add(new Thread(() -> {
                LongBox box = new LongBox();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < each; i++) {
                    box.value = id << 32 | i;
                    if (!pipe.offer(box, 0).accepted()) {
                        refused.incrementAndGet();
                    }
                }
                running.decrementAndGet();
            }, "producer-" + p));
        }
        Thread consumer = new Thread(() -> {
            while (running.get() > 0) {
                if (pipe.poll(16) == 0) {
                    Thread.onSpinWait();
                }
            }
            while (pipe.poll(64) > 0) {
                // drain what the producers left
            }
        }, "consumer");
        threads.forEach(Thread::start);
        consumer.start();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        consumer.join();

        long sent = (long) producers * each;
        assertEquals(sent, pipe.offered(), "every send is counted once");
        assertEquals(0, pipe.pending(), "a drained pipe holds nothing");
        assertEquals(sent, pipe.delivered() + pipe.dropped(), "sent = delivered + dropped");
        assertEquals(delivered.size(), pipe.delivered());
        if (policy == BackpressurePolicy.DROP_NEWEST || policy == BackpressurePolicy.BLOCK) {
            assertEquals(refused.get(), pipe.dropped(), "under " + policy + " only refusals are drops");
        } else {
            assertEquals(0, refused.get(), policy + " never refuses");
        }
        long[] last = new long[producers];
        java.util.Arrays.fill(last, -1);
        for (long v : delivered) {
            int id = (int) (v >>> 32);
            long seq = v & 0xffff_ffffL;
            assertTrue(seq > last[id], "producer " + id + "'s values out of order: " + seq + " after " + last[id]);
            last[id] = seq;
        }
    }
}
