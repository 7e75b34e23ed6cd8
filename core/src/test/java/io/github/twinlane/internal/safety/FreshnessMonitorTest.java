package io.github.twinlane.internal.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.twinlane.FreshnessListener;
import io.github.twinlane.internal.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stale-input interlock: what is fresh, when the listeners are told, and that one listener cannot stop the rest. */
class FreshnessMonitorTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LIMIT = 100 * MS;

    record Told(String channel, boolean fresh, long ageNanos) {
    }

    private final List<Told> told = new CopyOnWriteArrayList<>();
    private final FreshnessListener recorder = (channel, fresh, age) -> told.add(new Told(channel, fresh, age));

    @Test
    void shouldCallEverythingFreshWithoutALimit() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ZERO, Runnable::run);
        m.listeners().add(recorder);
        assertTrue(m.fresh(System.nanoTime(), -1), "no data at all is fresh without a limit");
        assertTrue(m.fresh(Long.MAX_VALUE, 0));
        m.check(System.nanoTime() + TimeUnit.HOURS.toNanos(1), -1);
        m.check(System.nanoTime() + TimeUnit.HOURS.toNanos(2), 0);
        assertEquals(List.of(), told, "never stale without a limit");
        assertEquals(0, m.checkIntervalNanos());
    }

    @Test
    void shouldCallDataFreshUpToTheLimitInclusive() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        long t = 5 * LIMIT;
        assertFalse(m.fresh(t, -1), "no data yet is not fresh");
        assertTrue(m.fresh(t, t));
        assertTrue(m.fresh(t + LIMIT, t), "exactly the limit old is still fresh");
        assertFalse(m.fresh(t + LIMIT + 1, t));
        assertTrue(m.fresh(0, 0), "data stamped 0 is data");
        assertTrue(m.fresh(LIMIT, 0));
    }

    @Test
    void shouldTellTheListenersOncePerChangeWithTheAge() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        m.listeners().add(recorder);
        long t = System.nanoTime();
        m.check(t, t);
        m.check(t + LIMIT, t);
        assertEquals(List.of(), told, "fresh from the start: nothing to tell");

        m.check(t + LIMIT + 1, t);
        assertEquals(List.of(new Told("cam", false, LIMIT + 1)), told);
        m.check(t + 2 * LIMIT, t);
        assertEquals(1, told.size(), "still stale: told once");

        long t2 = t + 3 * LIMIT;
        m.check(t2 + 5, t2);
        assertEquals(new Told("cam", true, 5), told.get(1), "fresh again");
        m.check(t2 + 6, t2);
        assertEquals(2, told.size());
    }

    @Test
    void shouldCountTheAgeOfNoDataFromTheMonitorsStart() {
        long before = System.nanoTime();
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        long after = System.nanoTime();
        m.listeners().add(recorder);
        m.check(before + LIMIT, -1);
        assertEquals(List.of(), told, "no data, but the monitor is not yet the limit old");
        m.check(after + LIMIT + 1, -1);
        assertEquals(1, told.size(), "no data for longer than the limit since the start is stale");
        Told t = told.get(0);
        assertFalse(t.fresh());
        assertTrue(t.ageNanos() > LIMIT && t.ageNanos() <= after + LIMIT + 1 - before, String.valueOf(t));
    }

    @Test
    void shouldCountTheAgeOfDataStampedZeroFromZero() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        m.listeners().add(recorder);
        m.check(2 * LIMIT, 0);
        assertEquals(List.of(new Told("cam", false, 2 * LIMIT)), told);
    }

    @Test
    void shouldLogEachChange() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        long t = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            m.check(t + 250 * MS, t);
            assertTrue(log.has("Channel 'cam': data is stale (250 ms old, limit 100 ms)"), log.text());
            m.check(t + 251 * MS, t + 250 * MS);
            assertTrue(log.has("Channel 'cam': data is fresh again"), log.text());
        }
    }

    @Test
    void shouldTellEveryListenerWhenOneThrows() {
        FreshnessMonitor m = new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run);
        m.listeners().add((channel, fresh, age) -> {
            throw new IllegalStateException("listener bug");
        });
        m.listeners().add(recorder);
        long t = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            m.check(t + 2 * LIMIT, t);
            assertEquals(1, told.size(), "the listener after the one that threw was told");
            assertTrue(log.has("Freshness listener of channel 'cam' threw; ignored: java.lang.IllegalStateException: "
                    + "listener bug"), log.text());
        }
    }

    @Test
    void shouldAskForChecksAtAQuarterOfTheLimitAndNoMoreOftenThanEachMillisecond() {
        assertEquals(25 * MS, new FreshnessMonitor("cam", Duration.ofMillis(100), Runnable::run).checkIntervalNanos());
        assertEquals(MS, new FreshnessMonitor("cam", Duration.ofMillis(1), Runnable::run).checkIntervalNanos());
        assertEquals(MS, new FreshnessMonitor("cam", Duration.ofMillis(3), Runnable::run).checkIntervalNanos());
    }
}
