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
 * Invariants of one pipe over arbitrary interleavings of sends and polls: nothing is lost
 * unaccounted, order holds, LATEST ends on the newest value.
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
            pipe = new Pipe<>(LongBox.TYPE, policy, capacity, 20_000, WaitMode.BLOCKING, true).enablePolling();
            pipe.sink((v, t) -> delivered.add(v.value));
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
            @ForAll BackpressurePolicy policy, @ForAll @IntRange(min = 1, max = 4) int capacityLog2) {
        Run run = new Run(policy, 1 << capacityLog2);
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
            @ForAll BackpressurePolicy policy, @ForAll @IntRange(min = 1, max = 4) int capacityLog2) {
        Run run = new Run(policy, 1 << capacityLog2);
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
}
