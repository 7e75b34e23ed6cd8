package io.github.twinlane.internal;

import io.github.twinlane.MessageType;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/*
 * How to write the next Lincheck test here (Lincheck 3.7, org.jetbrains.lincheck:lincheck; its Java API is
 * org.jetbrains.lincheck.datastructures.*):
 *
 * - The test class is the harness and must be public, as must the specification class: Lincheck makes
 *   a new instance (public no-arg constructor) for every scenario run, so the structure under test is a
 *   field initialised where it is declared, never in a JUnit @BeforeEach.
 * - Each public method annotated @Operation is one operation. Results are compared with equals(): return
 *   a primitive, a String or a record, never a reused object. Arguments come from a class-level
 *   @Param(name = "v", gen = LongGen.class, conf = "1:3") named on the parameter, @Param(name = "v");
 *   keep ranges tiny, each value multiplies the states to explore.
 * - Single-thread roles: @Operation(nonParallelGroup = "writer") on every operation that only one thread
 *   may call. All operations of a group run in one thread of the parallel part (group i goes to thread
 *   i mod threads; ungrouped operations go to any thread); they may also appear in the init and post
 *   parts, which run alone, before and after the parallel part. For Pipe (any thread publishes, one
 *   consumer takes): publish ungrouped, every consumer-side operation in nonParallelGroup = "consumer".
 *   For a watchdog: feed and check each in the group of the one thread that calls it. To pin exact
 *   actors to exact threads, add a hand-written scenario with addCustomScenario(new ExecutionScenario(
 *   init, threads, post, null)) of org.jetbrains.kotlinx.lincheck.Actor (not part of the stable API).
 * - sequentialSpecification(Spec.class): a public class with the same operation names and parameter
 *   types. Without one, the structure itself run sequentially is the specification.
 * - Bound it explicitly: iterations (scenarios) x invocationsPerIteration (interleavings of each) is the
 *   cost; threads, actorsPerThread, actorsBefore, actorsAfter shape a scenario. More, smaller scenarios
 *   find more here: 40 x 100 with 2 actors per thread and 2 before finds a dropped validate() that
 *   15 x 200 with 3 per thread and 1 before misses. Check a new test by breaking its structure once.
 *   The first Lincheck test in a JVM pays for attaching the agent (about 10 s here); this one then
 *   takes about 5 s.
 * - Operations must be deterministic for Lincheck to replay an interleaving: no System.nanoTime, no
 *   sleep, no thread started. Give a watchdog a clock that an operation advances. Spin-waits (Disruptor
 *   wait strategies) are detected and switched away from (loopBound, enableAwaitLoopsAnalysis), but an
 *   operation that waits for another's must be @Operation(blocking = true), or test tryPoll, not take.
 * - Model checking explores interleavings under sequential consistency: it finds races of order and
 *   atomicity (a write after the unlock, an ignored validate), not a missing volatile or fence.
 * - JVM flags: core's surefire argLine has -XX:+EnableDynamicAgentLoading for Lincheck's run-time agent.
 */

/**
 * {@link LatestValue} is linearizable with one writer: every read returns a value and timestamp that one
 * {@code set} wrote together, or nothing before the first, never a copy torn by a concurrent write.
 *
 * <p>The message has two fields copied one after the other, and each {@code set(v)} writes {@code (v, v)}
 * at timestamp {@code 10 v}: a read that saw a write half done would return a pair, or a pair and
 * timestamp, that no {@code set} wrote.
 */
@Param(name = "v", gen = LongGen.class, conf = "1:3")
public class LatestValueLincheckTest {

    /** Two fields copied one after the other: a copy torn by a write is a pair that was never set. */
    static final class Pair {
        long first;
        long second;
    }

    private static final MessageType<Pair> PAIR = MessageType.of(Pair::new, (from, to) -> {
        to.first = from.first;
        to.second = from.second;
    });

    private final LatestValue<Pair> latest = new LatestValue<>(PAIR);
    private final Pair src = new Pair();

    /** The one writer: fills its own source object and sets it, at timestamp 10 v. */
    @Operation(nonParallelGroup = "writer")
    public void set(@Param(name = "v") long v) {
        src.first = v;
        src.second = v;
        latest.set(src, 10 * v);
    }

    /** A reader's copy into its own storage, with the timestamp, as one string. */
    @Operation
    public String get() {
        Pair into = new Pair();
        long stamp = latest.get(into);
        return into.first + "," + into.second + "@" + stamp;
    }

    @Operation
    public long stampNanos() {
        return latest.stampNanos();
    }

    @Operation
    public long version() {
        return latest.version();
    }

    /** What LatestValue promises, one call at a time. */
    public static final class Spec {
        private long first;
        private long second;
        private long stamp = -1;
        private long version;

        public void set(long v) {
            first = v;
            second = v;
            stamp = 10 * v;
            version++;
        }

        /** Nothing set yet: -1, and the caller's storage untouched. */
        public String get() {
            return first + "," + second + "@" + stamp;
        }

        public long stampNanos() {
            return stamp;
        }

        public long version() {
            return version;
        }
    }

    @Test
    void shouldNeverReturnAValueTornByTheWriterInAnyInterleaving() {
        new ModelCheckingOptions()
                .iterations(40)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .check(LatestValueLincheckTest.class);
    }
}
