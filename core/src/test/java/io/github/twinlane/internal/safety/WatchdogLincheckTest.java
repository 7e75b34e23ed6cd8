package io.github.twinlane.internal.safety;

import io.github.twinlane.LongBox;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * {@link Watchdog} under model checking: a sender's feeds racing the supervisor's checks give the
 * results of some order of the calls one at a time. In particular a trip never disarms the watchdog: a
 * feed that races a trip either counts before it (no trip) or is a new feed that the next stall trips
 * again. Times are given by the operations (a model checker cannot replay a clock): milliseconds 0 to 4
 * against a feed timeout of 1.5 ms.
 */
@Param(name = "t", gen = IntGen.class, conf = "0:4")
public class WatchdogLincheckTest {
    private final Watchdog<LongBox> watchdog = new Watchdog<>(LongBox.TYPE);

    public WatchdogLincheckTest() {
        watchdog.arm(Duration.ofNanos(1_500_000), c -> c.value = -1);
        watchdog.restart(0); // the clock of the operations starts at 0
    }

    @Operation(nonParallelGroup = "sender")
    public void feed(@Param(name = "t") int ms) {
        watchdog.feed(ms * 1_000_000L);
    }

    @Operation(nonParallelGroup = "supervisor")
    public boolean due(@Param(name = "t") int ms) {
        return watchdog.due(ms * 1_000_000L);
    }

    @Operation(nonParallelGroup = "supervisor")
    public long trips() {
        return watchdog.trips();
    }

    @Test
    void shouldTripOncePerStaleFeedInEveryInterleavingOfFeedsAndChecks() {
        new ModelCheckingOptions()
                .iterations(40)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(2)
                .check(WatchdogLincheckTest.class);
    }
}
