package io.github.twinlane.internal;

import io.github.twinlane.BackpressurePolicy;
import io.github.twinlane.LongBox;
import io.github.twinlane.SendResult;
import io.github.twinlane.WaitMode;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Pipe} under model checking: every interleaving of producers' offers with the one consumer's
 * polls gives results (each offer's outcome, the values each poll delivered) that the pipe run one call at
 * a time would give, and its counts add up ({@code offered = delivered + dropped + pending}) after every
 * scenario. Under every policy, with many producers and with one. The sequential specification is the
 * pipe itself, called one operation at a time.
 *
 * <p>Small rings (2 slots; 4 for DROP_OLDEST, whose ring keeps slack) so that scenarios fill them and
 * park values in the overflow slot; BLOCK gets 8 slots so that no offer ever waits (a wait reads the
 * clock, which a model checker cannot replay).
 */
class PipeLincheckTest {
    static volatile BackpressurePolicy policy = BackpressurePolicy.LATEST;

    static Pipe<LongBox> pipe(boolean multiProducer, StringBuilder out) {
        int capacity = policy == BackpressurePolicy.BLOCK ? 8 : 2;
        Pipe<LongBox> p = new Pipe<>(LongBox.TYPE, policy, capacity, 1_000_000, WaitMode.BLOCKING, multiProducer)
                .enablePolling();
        p.sink((v, t, g) -> out.append(v.value).append(' '));
        return p;
    }

    static void accounting(Pipe<LongBox> p) {
        if (p.offered() != p.delivered() + p.dropped() + p.pending() || p.pending() < 0) {
            throw new IllegalStateException("offered " + p.offered() + " != delivered " + p.delivered() + " + dropped "
                    + p.dropped() + " + pending " + p.pending());
        }
    }

    /** Offers from any thread (a channel's senders), polls from one (its writer). */
    @Param(name = "v", gen = LongGen.class, conf = "1:9")
    public static class ManyProducers {
        private final StringBuilder out = new StringBuilder();
        private final Pipe<LongBox> pipe = pipe(true, out);

        @Operation
        public SendResult offer(@Param(name = "v") long v) {
            return pipe.offer(new LongBox(v), 0);
        }

        @Operation(nonParallelGroup = "consumer")
        public String poll() {
            out.setLength(0);
            pipe.poll(4);
            return out.toString();
        }

        @Validate
        public void countsAddUp() {
            accounting(pipe);
        }
    }

    /** One producer thread (a tap's lane thread, a reader), polls from one consumer. */
    @Param(name = "v", gen = LongGen.class, conf = "1:9")
    public static class OneProducer {
        private final StringBuilder out = new StringBuilder();
        private final Pipe<LongBox> pipe = pipe(false, out);

        @Operation(nonParallelGroup = "producer")
        public SendResult offer(@Param(name = "v") long v) {
            return pipe.offer(new LongBox(v), 0);
        }

        @Operation(nonParallelGroup = "consumer")
        public String poll() {
            out.setLength(0);
            pipe.poll(4);
            return out.toString();
        }

        @Validate
        public void countsAddUp() {
            accounting(pipe);
        }
    }

    private static ModelCheckingOptions options(int threads) {
        return new ModelCheckingOptions()
                .iterations(25)
                .invocationsPerIteration(400)
                .threads(threads)
                .actorsPerThread(2)
                .actorsBefore(2)
                .actorsAfter(2);
    }

    @ParameterizedTest
    @EnumSource(BackpressurePolicy.class)
    void shouldBehaveAsIfCalledOneAtATimeWithManyProducers(BackpressurePolicy p) {
        policy = p;
        options(3).check(ManyProducers.class); // two producers, the consumer's group on the third
    }

    @ParameterizedTest
    @EnumSource(BackpressurePolicy.class)
    void shouldBehaveAsIfCalledOneAtATimeWithOneProducer(BackpressurePolicy p) {
        policy = p;
        options(2).check(OneProducer.class);
    }
}
