package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.LongBox;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The motor watchdog: its arming bounds, its trip once per stale feed, its restart, its check interval. */
class WatchdogTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private final Watchdog<LongBox> dog = new Watchdog<>(LongBox.TYPE);

    private void arm(Duration timeout) {
        dog.arm(timeout, c -> c.value = -7);
    }

    @Test
    void shouldNeverTripUnarmed() {
        assertFalse(dog.armed());
        assertNull(dog.safeCommand());
        assertFalse(dog.due(System.nanoTime() + 10 * MINUTE));
        assertEquals(0, dog.trips());
        assertEquals(0, dog.checkIntervalNanos());
    }

    @Test
    void shouldTakeFeedTimeoutsFromOneMillisecondToSixtySeconds() {
        arm(Duration.ofMillis(1));
        assertTrue(dog.armed());
        arm(Duration.ofSeconds(60));
        assertTrue(dog.armed());
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofNanos(999_999), Duration.ofMillis(-5),
                Duration.ofSeconds(60).plusNanos(1), Duration.ofMinutes(2)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> arm(bad), String.valueOf(bad));
            assertTrue(e.getMessage().startsWith("feedTimeout must be from 1 ms to 60 s"), e.getMessage());
        }
    }

    @Test
    void shouldFillTheSafeCommandOnceWhenArmed() {
        int[] fills = {0};
        dog.arm(Duration.ofSeconds(1), c -> {
            fills[0]++;
            c.value = -3;
        });
        assertEquals(1, fills[0]);
        assertEquals(-3, dog.safeCommand().value);
        LongBox first = dog.safeCommand();
        dog.due(System.nanoTime() + MINUTE);
        assertEquals(1, fills[0], "not filled again by a trip");
        assertEquals(first, dog.safeCommand());
    }

    @Test
    void shouldStartTheFeedWhenArmed() {
        dog.feed(System.nanoTime() - 10 * MINUTE); // an old feed
        arm(Duration.ofSeconds(60));
        assertFalse(dog.due(System.nanoTime()), "arming starts the feed now, not at the last feed");
    }

    @Test
    void shouldTripOncePerStaleFeedAndAgainAfterTheNextFeed() {
        arm(Duration.ofMillis(100));
        long timeout = 100 * MS;
        long t = System.nanoTime() + 10 * MINUTE; // far past the arming time
        dog.feed(t);
        assertFalse(dog.due(t), "just fed");
        assertFalse(dog.due(t + timeout), "silent for exactly the timeout is not yet stale");
        assertEquals(0, dog.trips());
        assertTrue(dog.due(t + timeout + 1), "silent for longer trips");
        assertEquals(1, dog.trips());
        assertFalse(dog.due(t + timeout + 2), "the same feed trips once");
        assertFalse(dog.due(t + 10 * timeout), "however long the silence lasts");
        assertEquals(1, dog.trips());

        long t2 = t + 20 * timeout;
        dog.feed(t2);
        assertFalse(dog.due(t2 + timeout));
        assertTrue(dog.due(t2 + timeout + 1), "a new feed that goes stale trips again");
        assertFalse(dog.due(t2 + 2 * timeout));
        assertEquals(2, dog.trips());
    }

    @Test
    void shouldTripAgainForAFeedAtTheSameTimeAsNone() {
        // a feed time equal to the initial trip marker must still trip once
        arm(Duration.ofMillis(1));
        dog.feed(Long.MIN_VALUE);
        assertTrue(dog.due(Long.MIN_VALUE + 2 * MS));
        assertFalse(dog.due(Long.MIN_VALUE + 3 * MS));
        assertEquals(1, dog.trips());
    }

    @Test
    void shouldGiveAWholeTimeoutAfterARestart() {
        arm(Duration.ofMillis(100));
        long t = System.nanoTime() + 10 * MINUTE;
        dog.feed(t);
        long r = t + 50 * MS;
        dog.restart(r);
        assertFalse(dog.due(r + 100 * MS), "the restart, not the last feed, starts the timeout");
        assertTrue(dog.due(r + 100 * MS + 1));
    }

    @Test
    void shouldAskForChecksAtAQuarterOfItsTimeoutAndNoMoreOftenThanEachMillisecond() {
        arm(Duration.ofMillis(40));
        assertEquals(10 * MS, dog.checkIntervalNanos());
        arm(Duration.ofMillis(2));
        assertEquals(MS, dog.checkIntervalNanos(), "a quarter of 2 ms is under 1 ms");
        arm(Duration.ofMillis(1));
        assertEquals(MS, dog.checkIntervalNanos());
        arm(Duration.ofSeconds(60));
        assertEquals(TimeUnit.SECONDS.toNanos(15), dog.checkIntervalNanos());
    }
}
