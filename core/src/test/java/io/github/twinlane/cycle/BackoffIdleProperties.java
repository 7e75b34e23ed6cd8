package io.github.twinlane.cycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The backoff's parks: from the minimum, doubling, never above the maximum, short again after work. */
class BackoffIdleProperties {

    @Property(tries = 200)
    void parksDoubleFromMinToMaxAndResetAfterWork(@ForAll @LongRange(min = 1_000, max = 50_000) long minNanos,
            @ForAll @IntRange(min = 0, max = 8) int doublings, @ForAll @IntRange(min = 1, max = 12) int idles) {
        long maxNanos = minNanos << doublings;
        BackoffIdleStrategy b = BackoffIdleStrategy.of(0, 0, Duration.ofNanos(minNanos), Duration.ofNanos(maxNanos));
        long previous = b.nextParkNanos();
        assertEquals(minNanos, previous);
        for (int i = 0; i < idles; i++) {
            b.idle(0);
            long next = b.nextParkNanos();
            assertTrue(next >= previous && next <= maxNanos, "parks grow up to the maximum: " + previous + " -> " + next);
            assertEquals(Math.min(maxNanos, minNanos << Math.min(i + 1, 62)), next);
            previous = next;
        }
        b.idle(3);
        assertEquals(minNanos, b.nextParkNanos(), "work resets the backoff");
    }
}
